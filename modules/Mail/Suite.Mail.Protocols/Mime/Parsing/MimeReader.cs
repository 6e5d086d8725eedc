using System.Buffers;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Buffered, forward-only view of the source with absolute byte positions. When a spool is given every byte read from
/// the source is appended to it, so offsets taken here are offsets into the spool as well.
/// </summary>
internal sealed class MimeReader : IDisposable
{
    public const int BufferSize = 64 * 1024;

    private readonly Stream _source;
    private readonly SpoolStore? _spool;
    private readonly bool _readFileInline;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _start;
    private int _end;
    private long _bufferOrigin;

    public MimeReader(Stream source, SpoolStore? spool)
    {
        _source = source;
        _spool = spool;
        _readFileInline = source is FileStream && !OperatingSystem.IsWindows();
    }

    public bool Eof { get; private set; }

    /// <summary>Absolute offset of the first unconsumed byte.</summary>
    public long Position => _bufferOrigin + _start;

    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>True when the buffer holds only unconsumed bytes and no more fit.</summary>
    public bool IsFull => _start == 0 && _end == _buffer.Length;

    public void Advance(int count) => _start += count;

    /// <summary>Reads more bytes; returns false at end of input or when the buffer is full.</summary>
    public async ValueTask<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (Eof)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOrigin += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            return false;
        }

        // A file is read inline: on Linux its asynchronous read is the same blocking pread, run on a pool thread.
        int read;
        if (_readFileInline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            read = _source.Read(_buffer.AsSpan(_end));
        }
        else
        {
            read = await _source.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
        if (read == 0)
        {
            Eof = true;
            return false;
        }

        if (_spool is not null)
        {
            await _spool.AppendAsync(_buffer.AsMemory(_end, read), cancellationToken).ConfigureAwait(false);
        }

        _end += read;
        return true;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
