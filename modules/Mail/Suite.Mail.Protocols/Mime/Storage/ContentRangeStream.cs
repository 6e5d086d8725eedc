namespace Suite.Mail.Protocols.Mime;

/// <summary>A seekable, read-only window [start, start + length) over a <see cref="ContentStore"/>.</summary>
internal sealed class ContentRangeStream(ContentStore store, long start, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var count = Remaining(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        var n = store.ReadAt(start + _position, buffer[..count]);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var count = Remaining(buffer.Length);
        if (count == 0)
        {
            return 0;
        }

        var n = await store.ReadAtAsync(start + _position, buffer[..count], cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    private int Remaining(int requested) => _position >= length ? 0 : (int)Math.Min(requested, length - _position);

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
