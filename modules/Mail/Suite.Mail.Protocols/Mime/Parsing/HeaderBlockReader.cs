using System.Buffers;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Reads one header block (RFC 5322 §2.2) up to and including the empty line. Folded lines are unfolded as they are
/// read; lines longer than the read buffer are appended piece by piece. The block also ends, without an empty line,
/// at a delimiter of an open multipart, at the end of input, or at a line that is not a header field (the body is then
/// taken to start at that line). A leading mbox "From " line is skipped.
/// </summary>
internal sealed class HeaderBlockReader(MimeReader reader, BoundaryStack boundaries, MimeParserOptions options, List<MimeParseWarning> warnings)
{
    private readonly ArrayBufferWriter<byte> _value = new(256);
    private readonly Encoding _fallback = options.HeaderFallbackEncoding ?? Charsets.Windows1252;
    private HeaderList _headers = new();
    private string? _name;
    private bool _inLongLine;
    private bool _skipping;
    private bool _firstLine;
    private long _bytes;
    private bool _truncated;
    private int _previousBreak;

    /// <summary>How the block ended.</summary>
    public enum End
    {
        EmptyLine,
        Boundary,
        EndOfInput,
        BodyLine,
    }

    public async ValueTask<(End End, BoundaryHit Hit)> ReadAsync(HeaderList headers, CancellationToken cancellationToken)
    {
        _headers = headers;
        _name = null;
        _inLongLine = false;
        _skipping = false;
        _firstLine = true;
        _bytes = 0;
        _truncated = false;
        _previousBreak = 0;
        _value.Clear();

        while (true)
        {
            if (Step(out var hit, out var needMore) is { } end)
            {
                return (end, hit);
            }

            if (needMore && !await reader.FillAsync(cancellationToken).ConfigureAwait(false) && reader.Eof && reader.Available.IsEmpty)
            {
                Finish();
                return (End.EndOfInput, BoundaryHit.Eof(reader.Position));
            }
        }
    }

    /// <summary>
    /// Processes one line, or one piece of an over-long line. Returns how the block ended, or null when a line was
    /// consumed or, with <paramref name="needMore"/> set, when the buffer holds no complete line yet.
    /// </summary>
    private End? Step(out BoundaryHit hit, out bool needMore)
    {
        hit = default;
        needMore = false;
        var span = reader.Available;
        var lf = span.IndexOf((byte)'\n');
        var complete = lf >= 0 || (reader.Eof && !span.IsEmpty);
        if (!complete && !(reader.IsFull && !span.IsEmpty))
        {
            needMore = true;
            return null;
        }

        var lineLength = lf >= 0 ? lf + 1 : span.Length;
        var line = lf >= 0 ? span[..lf] : span;
        var content = line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
        var breakLength = lf < 0 ? 0 : (line.Length > content.Length ? 2 : 1);

        if (_inLongLine)
        {
            Append(content);
            Consume(lineLength, complete, breakLength);
            return null;
        }

        if (content.IsEmpty && complete)
        {
            Finish();
            reader.Advance(lineLength);
            return End.EmptyLine;
        }

        if (content.Length > 0 && content[0] is (byte)' ' or (byte)'\t')
        {
            if (_name is not null)
            {
                Append(content);
            }

            Consume(lineLength, complete, breakLength);
            return null;
        }

        if (complete && boundaries.TryMatch(content, out var index, out var isClose))
        {
            Finish();
            var lineStart = reader.Position;
            hit = new BoundaryHit(index, isClose, lineStart - _previousBreak);
            reader.Advance(lineLength);
            return End.Boundary;
        }

        var colon = content.IndexOf((byte)':');
        if (colon > 0 && IsFieldName(content[..colon]))
        {
            Finish();
            StartField(content[..colon]);
            Append(content[(colon + 1)..]);
            Consume(lineLength, complete, breakLength);
            return null;
        }

        if (_firstLine && content.StartsWith("From "u8))
        {
            Consume(lineLength, complete, breakLength);
            return null;
        }

        Finish();
        AddWarning(MimeWarningKind.InvalidHeaderLine);
        return End.BodyLine;
    }

    private void Consume(int length, bool complete, int breakLength)
    {
        reader.Advance(length);
        _firstLine = false;
        _inLongLine = !complete;
        if (complete)
        {
            _previousBreak = breakLength;
        }
    }

    private void StartField(ReadOnlySpan<byte> name)
    {
        var trimmed = name.TrimEnd(" \t"u8);
        if (_truncated || _headers.Count >= options.MaxHeaderCount)
        {
            Truncated();
            _skipping = true;
            return;
        }

        _skipping = false;
        _name = Encoding.ASCII.GetString(trimmed);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_skipping || _name is null)
        {
            return;
        }

        if (_bytes + bytes.Length > options.MaxHeaderBytes)
        {
            Truncated();
            _skipping = true;
            return;
        }

        _bytes += bytes.Length;
        bytes.CopyTo(_value.GetSpan(bytes.Length));
        _value.Advance(bytes.Length);
    }

    private void Finish()
    {
        if (_name is not null && !_skipping)
        {
            var text = Charsets.DecodeUnknown(_value.WrittenSpan, _fallback).Trim();
            _headers.Add(new Header(_name, text));
        }

        _name = null;
        _skipping = false;
        _value.Clear();
    }

    private void Truncated()
    {
        if (!_truncated)
        {
            _truncated = true;
            AddWarning(MimeWarningKind.HeaderBlockTruncated);
        }
    }

    private void AddWarning(MimeWarningKind kind)
    {
        if (warnings.Count < 100)
        {
            warnings.Add(new MimeParseWarning(kind, reader.Position));
        }
    }

    private static bool IsFieldName(ReadOnlySpan<byte> name)
    {
        var trimmed = name.TrimEnd(" \t"u8);
        if (trimmed.IsEmpty || trimmed.Length > 256)
        {
            return false;
        }

        foreach (var b in trimmed)
        {
            if (b is < 33 or > 126)
            {
                return false;
            }
        }

        return true;
    }
}
