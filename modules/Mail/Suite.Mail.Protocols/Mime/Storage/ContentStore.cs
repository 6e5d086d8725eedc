namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Random-access, read-only bytes of a parsed message. Every entity of a message records offsets into one store, so a
/// part's content is read on demand and never held by the object model. Reads are safe from several threads at once.
/// </summary>
internal abstract class ContentStore : IDisposable
{
    /// <summary>Number of message bytes the store holds.</summary>
    public abstract long Length { get; }

    /// <summary>Reads up to buffer.Length bytes at <paramref name="position"/>; returns 0 at or past the end.</summary>
    public abstract int ReadAt(long position, Span<byte> buffer);

    public abstract ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken);

    public abstract void Dispose();
}
