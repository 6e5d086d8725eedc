using System.Globalization;
using System.Net.Sockets;

namespace Suite.Mail.Protocols.Imap;

/// <summary>Where the bytes of a literal go when they are not kept in memory (body sections fetched into a caller's stream).</summary>
internal interface IImapLiteralSink
{
    /// <summary>
    /// Returns the destination for a literal about to be read, or null to buffer it. <paramref name="firstLine"/> is the
    /// first line of the response, <paramref name="lineBeforeLiteral"/> the current line up to the <c>{n}</c> marker.
    /// </summary>
    Stream? Choose(ReadOnlySpan<byte> firstLine, ReadOnlySpan<byte> lineBeforeLiteral, long length);
}

/// <summary>A line of a response and the literal that followed it, if any.</summary>
internal readonly record struct ImapResponseSegment(byte[] Line, ImapValue? Literal);

/// <summary>
/// Frames server responses over a stream: reads lines, and after a line ending in a literal marker (<c>{n}</c>,
/// <c>{n+}</c>, <c>~{n}</c>) the n bytes of the literal, either into memory or into a sink. The assembled segments are
/// then parsed by <see cref="ImapResponseParser"/>. Network failures and timeouts surface as
/// <see cref="ImapConnectionException"/>, malformed input or exceeded limits as <see cref="ImapProtocolException"/>.
/// </summary>
internal sealed class ImapResponseReader
{
    private const int MaxSegments = 100_000;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private Stream _stream;

    public ImapResponseReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Longest line (outside literals) accepted.</summary>
    public int MaxLineLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>Most literal bytes one response may keep in memory; larger ones must go to a sink.</summary>
    public long MaxBufferedLiteral { get; init; } = 64L * 1024 * 1024;

    /// <summary>Inactivity limit for one read; <see cref="Timeout.InfiniteTimeSpan"/> while idling.</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>True when bytes the server sent are already buffered (checked before switching to TLS).</summary>
    public bool HasBufferedData => _end > _start;

    public void ReplaceStream(Stream stream)
    {
        _stream = stream;
        _start = _end = 0;
    }

    public async ValueTask<ImapResponse> ReadAsync(IImapLiteralSink? sink, CancellationToken cancellationToken)
    {
        var segments = new List<ImapResponseSegment>();
        long buffered = 0;
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            var marker = LiteralMarker.Find(line);
            if (marker is null)
            {
                segments.Add(new ImapResponseSegment(line, null));
                return ImapResponseParser.Parse(segments);
            }

            if (segments.Count >= MaxSegments)
            {
                throw new ImapProtocolException("Response has too many literals.");
            }

            var (markerStart, length) = marker.Value;
            var firstLine = segments.Count == 0 ? line : segments[0].Line;
            var destination = sink?.Choose(firstLine, line.AsSpan(0, markerStart), length);
            ImapValue literal;
            if (destination is not null)
            {
                await CopyLiteralAsync(length, destination, cancellationToken).ConfigureAwait(false);
                literal = ImapValue.Streamed(length);
            }
            else
            {
                buffered += length;
                if (buffered > MaxBufferedLiteral)
                {
                    throw new ImapProtocolException($"Literals of {buffered} bytes in one response exceed the in-memory limit.");
                }

                literal = ImapValue.String(await ReadExactAsync((int)length, cancellationToken).ConfigureAwait(false));
            }

            segments.Add(new ImapResponseSegment(line, literal));
        }
    }

    /// <summary>Reads one line without its CRLF (a bare LF is tolerated).</summary>
    private async ValueTask<byte[]> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        while (true)
        {
            var lf = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (lf >= 0)
            {
                if (lf - _start > MaxLineLength)
                {
                    throw new ImapProtocolException($"Response line longer than {MaxLineLength} bytes.");
                }

                var end = lf > _start && _buffer[lf - 1] == (byte)'\r' ? lf - 1 : lf;
                var line = _buffer.AsSpan(_start, end - _start).ToArray();
                _start = lf + 1;
                return line;
            }

            scanned = _end - _start;
            if (scanned >= MaxLineLength)
            {
                throw new ImapProtocolException($"Response line longer than {MaxLineLength} bytes.");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<byte[]> ReadExactAsync(int length, CancellationToken cancellationToken)
    {
        var result = new byte[length];
        var copied = 0;
        while (copied < length)
        {
            if (_end == _start)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(length - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(copied));
            _start += n;
            copied += n;
        }

        return result;
    }

    private async ValueTask CopyLiteralAsync(long length, Stream destination, CancellationToken cancellationToken)
    {
        var remaining = length;
        while (remaining > 0)
        {
            if (_end == _start)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = (int)Math.Min(remaining, _end - _start);
            await destination.WriteAsync(_buffer.AsMemory(_start, n), cancellationToken).ConfigureAwait(false);
            _start += n;
            remaining -= n;
        }
    }

    /// <summary>Reads more bytes into the buffer, compacting or growing it first. Throws at end of stream.</summary>
    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineLength + 2));
        }

        int read;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReadTimeout);
        try
        {
            read = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ImapConnectionException($"The IMAP server did not answer within {ReadTimeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            throw new ImapConnectionException("The connection to the IMAP server was lost: " + e.Message, e);
        }

        if (read == 0)
        {
            throw new ImapConnectionException("The IMAP server closed the connection.");
        }

        _end += read;
    }

    /// <summary>Recognises a literal marker at the end of a line: <c>{123}</c>, <c>{123+}</c> or <c>~{123}</c>.</summary>
    internal static class LiteralMarker
    {
        public static (int Start, long Length)? Find(ReadOnlySpan<byte> line)
        {
            if (line.Length < 3 || line[^1] != (byte)'}')
            {
                return null;
            }

            var open = line.LastIndexOf((byte)'{');
            if (open < 0)
            {
                return null;
            }

            var digits = line[(open + 1)..^1];
            if (!digits.IsEmpty && digits[^1] == (byte)'+')
            {
                digits = digits[..^1];
            }

            if (digits.IsEmpty || digits.Length > 18 || digits.ContainsAnyExceptInRange((byte)'0', (byte)'9'))
            {
                return null;
            }

            var length = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            if (length > int.MaxValue)
            {
                throw new ImapProtocolException($"Literal of {length} bytes is too large.");
            }

            var start = open > 0 && line[open - 1] == (byte)'~' ? open - 1 : open;
            return (start, length);
        }
    }
}
