namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Copy of a non-seekable source (network stream, IMAP literal) made while parsing. The first
/// <see cref="MimeParserOptions.SpoolThreshold"/> bytes stay in memory; a larger message moves to a temporary file,
/// created readable by the current user only and deleted when the store is disposed (or its handle finalised).
/// Writes go through a 64 KiB buffer; reads use positional I/O, so concurrent readers need no lock.
/// </summary>
internal sealed class SpoolStore : ContentStore
{
    private const int WriteBufferSize = 64 * 1024;

    private readonly int _threshold;
    private readonly string _directory;
    private byte[] _memory = [];
    private FileStream? _file;
    private byte[]? _writeBuffer;
    private int _writeCount;
    private long _flushed;
    private long _length;
    private bool _disposed;

    public SpoolStore(int threshold, string? directory)
    {
        _threshold = Math.Max(0, threshold);
        _directory = directory ?? Path.GetTempPath();
    }

    public override long Length => _length;

    /// <summary>True once the content has moved to a temporary file.</summary>
    public bool IsFileBacked => _file is not null;

    internal string? FilePath => _file?.Name;

    public async ValueTask AppendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_file is null)
        {
            if (_length + data.Length <= _threshold)
            {
                EnsureMemory(_length + data.Length);
                data.Span.CopyTo(_memory.AsSpan((int)_length));
                _length += data.Length;
                return;
            }

            await MoveToFileAsync(cancellationToken).ConfigureAwait(false);
        }

        while (!data.IsEmpty)
        {
            var n = Math.Min(data.Length, WriteBufferSize - _writeCount);
            data[..n].CopyTo(_writeBuffer.AsMemory(_writeCount));
            _writeCount += n;
            _length += n;
            data = data[n..];
            if (_writeCount == WriteBufferSize)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes buffered bytes and releases the write buffer; called when parsing ends.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        if (_file is not null)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            _writeBuffer = null;
        }
    }

    public override int ReadAt(long position, Span<byte> buffer)
    {
        var count = Clamp(position, buffer.Length);
        if (count <= 0)
        {
            return 0;
        }

        if (_file is null)
        {
            _memory.AsSpan((int)position, count).CopyTo(buffer);
            return count;
        }

        return RandomAccess.Read(_file.SafeFileHandle, buffer[..count], position);
    }

    public override ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var count = Clamp(position, buffer.Length);
        if (count <= 0)
        {
            return ValueTask.FromResult(0);
        }

        if (_file is null)
        {
            _memory.AsSpan((int)position, count).CopyTo(buffer.Span);
            return ValueTask.FromResult(count);
        }

        return RandomAccess.ReadAsync(_file.SafeFileHandle, buffer[..count], position, cancellationToken);
    }

    private int Clamp(long position, int requested)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var readable = _file is null ? _length : _flushed;
        return position < 0 || position >= readable ? 0 : (int)Math.Min(requested, readable - position);
    }

    private void EnsureMemory(long needed)
    {
        if (needed <= _memory.Length)
        {
            return;
        }

        var size = (int)Math.Min(_threshold, Math.Max(needed, Math.Max(4096L, _memory.Length * 2L)));
        Array.Resize(ref _memory, size);
    }

    private async ValueTask MoveToFileAsync(CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            Options = FileOptions.DeleteOnClose | FileOptions.Asynchronous,
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var path = Path.Combine(_directory, "suite-mime-" + Guid.NewGuid().ToString("N") + ".spool");
        _file = new FileStream(path, options);
        _writeBuffer = new byte[WriteBufferSize];
        if (_length > 0)
        {
            await RandomAccess.WriteAsync(_file.SafeFileHandle, _memory.AsMemory(0, (int)_length), 0, cancellationToken).ConfigureAwait(false);
        }

        _flushed = _length;
        _memory = [];
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (_writeCount == 0 || _file is null || _writeBuffer is null)
        {
            return;
        }

        await RandomAccess.WriteAsync(_file.SafeFileHandle, _writeBuffer.AsMemory(0, _writeCount), _flushed, cancellationToken).ConfigureAwait(false);
        _flushed += _writeCount;
        _writeCount = 0;
    }

    public override void Dispose()
    {
        _disposed = true;
        _file?.Dispose();
        _file = null;
        _memory = [];
        _writeBuffer = null;
    }
}
