namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Reads message bytes straight from the caller's seekable stream (a file, a memory stream), starting at the position
/// the stream had when parsing began. Access is serialised because seeking moves the shared position. A file is read
/// with positional reads on its handle instead (no seek, no lock, no thread-pool hop: on Linux an "asynchronous" file
/// read is the same blocking pread run on a pool thread, so doing it inline costs the same and saves the hop).
/// </summary>
internal sealed class SeekableSourceStore(Stream source, long origin, bool ownsSource) : ContentStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _file = source is FileStream { CanSeek: true } fileStream && !OperatingSystem.IsWindows() ? fileStream.SafeFileHandle : null;
    private long _length;

    public override long Length => _length;

    internal void SetLength(long length) => _length = length;

    public override int ReadAt(long position, Span<byte> buffer)
    {
        var count = Clamp(position, buffer.Length);
        if (count <= 0)
        {
            return 0;
        }

        if (_file is not null)
        {
            return RandomAccess.Read(_file, buffer[..count], origin + position);
        }

        _gate.Wait();
        try
        {
            source.Position = origin + position;
            return source.Read(buffer[..count]);
        }
        finally
        {
            _gate.Release();
        }
    }

    public override async ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var count = Clamp(position, buffer.Length);
        if (count <= 0)
        {
            return 0;
        }

        if (_file is not null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return RandomAccess.Read(_file, buffer.Span[..count], origin + position);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            source.Position = origin + position;
            return await source.ReadAsync(buffer[..count], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private int Clamp(long position, int requested) =>
        position < 0 || position >= _length ? 0 : (int)Math.Min(requested, _length - position);

    public override void Dispose()
    {
        if (ownsSource)
        {
            source.Dispose();
        }

        _gate.Dispose();
    }
}
