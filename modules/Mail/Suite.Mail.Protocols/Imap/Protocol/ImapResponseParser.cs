using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// Parses the segments of one response (RFC 3501 §9 / RFC 9051 grammar, read leniently) into an
/// <see cref="ImapResponse"/>. Anything it cannot make sense of becomes an <see cref="ImapProtocolException"/>.
/// </summary>
internal sealed class ImapResponseParser
{
    private const int MaxDepth = 64;
    private static readonly string[] StatusWords = ["OK", "NO", "BAD", "BYE", "PREAUTH"];
    private readonly IReadOnlyList<ImapResponseSegment> _segments;
    private int _segment;
    private int _position;

    private ImapResponseParser(IReadOnlyList<ImapResponseSegment> segments)
    {
        _segments = segments;
    }

    private ReadOnlySpan<byte> Line => _segments[_segment].Line;

    private bool AtEndOfLine => _position >= Line.Length;

    private bool AtEnd => AtEndOfLine && _segment == _segments.Count - 1;

    public static ImapResponse Parse(IReadOnlyList<ImapResponseSegment> segments) => new ImapResponseParser(segments).ParseResponse();

    private ImapResponse ParseResponse()
    {
        if (Line.IsEmpty)
        {
            throw new ImapProtocolException("Empty response line.");
        }

        if (Line[0] == (byte)'+')
        {
            _position = 1;
            SkipSpaces();
            return new ImapResponse { Kind = ImapResponseKind.Continuation, Text = RestOfLine() };
        }

        var tag = ReadAtomText();
        if (tag.Length == 0)
        {
            throw Error("missing tag");
        }

        ExpectSpace();
        if (tag == "*")
        {
            return ParseUntagged();
        }

        var word = ReadAtomText().ToUpperInvariant();
        var status = ToStatus(word);
        if (status is null or ImapStatus.Bye or ImapStatus.PreAuth)
        {
            throw Error($"tagged response with '{Truncate(word)}' instead of OK/NO/BAD");
        }

        return ParseStatus(ImapResponseKind.Tagged, tag, status.Value);
    }

    private ImapResponse ParseUntagged()
    {
        var first = ReadAtomText();
        if (first.Length == 0)
        {
            throw Error("empty untagged response");
        }

        if (ToStatus(first.ToUpperInvariant()) is { } status)
        {
            return ParseStatus(ImapResponseKind.Untagged, null, status);
        }

        uint? number = null;
        if (first[0] is >= '0' and <= '9')
        {
            if (!uint.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                throw Error($"bad message number '{Truncate(first)}'");
            }

            number = n;
            ExpectSpace();
            first = ReadAtomText();
            if (first.Length == 0)
            {
                throw Error("missing name after message number");
            }
        }

        if (number is null && first.Equals("THREAD", StringComparison.OrdinalIgnoreCase))
        {
            // Threads nest as deep as conversations branch, beyond what the generic value reader allows:
            // their own lenient reader (ImapThreadParser) takes the raw text.
            SkipSpaces();
            return new ImapResponse { Kind = ImapResponseKind.Untagged, Name = "THREAD", Text = RestOfLine() };
        }

        var values = new List<ImapValue>();
        while (true)
        {
            SkipSpaces();
            if (AtEnd)
            {
                break;
            }

            values.Add(ReadValue(0));
        }

        return new ImapResponse { Kind = ImapResponseKind.Untagged, Name = first.ToUpperInvariant(), Number = number, Values = values };
    }

    private ImapResponse ParseStatus(ImapResponseKind kind, string? tag, ImapStatus status)
    {
        SkipSpaces();
        ImapResponseCode? code = null;
        if (!AtEndOfLine && Line[_position] == (byte)'[')
        {
            var saved = _position;
            code = TryParseCode();
            if (code is null)
            {
                _position = saved;
            }

            SkipSpaces();
        }

        return new ImapResponse { Kind = kind, Tag = tag, Status = status, Code = code, Text = RestOfLine() };
    }

    /// <summary>Parses <c>[NAME args]</c>; null when malformed, so the bracket is kept as plain text.</summary>
    private ImapResponseCode? TryParseCode()
    {
        var segment = _segment;
        try
        {
            _position++;
            var name = ReadAtomText(stopAtBracket: true).ToUpperInvariant();
            if (name.Length == 0)
            {
                return null;
            }

            var arguments = new List<ImapValue>();
            while (true)
            {
                SkipSpaces();
                if (AtEndOfLine)
                {
                    return null;
                }

                if (Line[_position] == (byte)']')
                {
                    _position++;
                    return new ImapResponseCode(name, arguments);
                }

                arguments.Add(ReadValue(0, stopAtBracket: true));
            }
        }
        catch (ImapProtocolException)
        {
            _segment = segment;
            return null;
        }
    }

    private ImapValue ReadValue(int depth, bool stopAtBracket = false)
    {
        if (depth > MaxDepth)
        {
            throw Error("lists nested too deeply");
        }

        if (AtEndOfLine)
        {
            throw Error("value expected");
        }

        var c = Line[_position];
        switch (c)
        {
            case (byte)'(':
                return ReadList(depth, stopAtBracket);
            case (byte)'"':
                return ReadQuoted();
            case (byte)'{':
            case (byte)'~' when _position + 1 < Line.Length && Line[_position + 1] == (byte)'{':
                return ReadLiteral();
            case (byte)')':
                throw Error("unexpected ')'");
        }

        if (IsNilAt(Line, _position, stopAtBracket))
        {
            _position += 3;
            return ImapValue.Nil;
        }

        var atom = ReadAtomText(stopAtBracket);
        if (atom.Length == 0)
        {
            throw Error($"unexpected character 0x{c:X2}");
        }

        return atom.Equals("NIL", StringComparison.OrdinalIgnoreCase) ? ImapValue.Nil : ImapValue.Atom(atom);
    }

    /// <summary>True when the atom starting at <paramref name="position"/> is exactly NIL (any case), without allocating it.</summary>
    private static bool IsNilAt(ReadOnlySpan<byte> line, int position, bool stopAtBracket)
    {
        if (position + 3 > line.Length || (line[position] | 0x20) != (byte)'n' || (line[position + 1] | 0x20) != (byte)'i' || (line[position + 2] | 0x20) != (byte)'l')
        {
            return false;
        }

        if (position + 3 == line.Length)
        {
            return true;
        }

        // The same characters that end an atom in ReadAtomText.
        var next = line[position + 3];
        return next is (byte)' ' or (byte)'(' or (byte)')' or (byte)'"' or (byte)'{' || next < 0x20 || next == 0x7f || (next == (byte)']' && stopAtBracket);
    }

    private ImapValue ReadList(int depth, bool stopAtBracket)
    {
        _position++;
        var items = new List<ImapValue>();
        while (true)
        {
            SkipSpaces();
            if (AtEndOfLine)
            {
                throw Error("unterminated list");
            }

            if (Line[_position] == (byte)')')
            {
                _position++;
                return ImapValue.List(items);
            }

            items.Add(ReadValue(depth + 1, stopAtBracket));
        }
    }

    private ImapValue ReadQuoted()
    {
        _position++;
        var line = Line;

        // Most quoted strings have no escape: take them in one slice.
        var end = line[_position..].IndexOfAny((byte)'"', (byte)'\\');
        if (end >= 0 && line[_position + end] == (byte)'"')
        {
            var value = line.Slice(_position, end).ToArray();
            _position += end + 1;
            return ImapValue.String(value);
        }

        var bytes = new List<byte>();
        while (_position < line.Length)
        {
            var c = line[_position++];
            if (c == (byte)'"')
            {
                return ImapValue.String([.. bytes]);
            }

            if (c == (byte)'\\' && _position < line.Length)
            {
                c = line[_position++];
            }

            bytes.Add(c);
        }

        throw Error("unterminated quoted string");
    }

    /// <summary>A literal marker ends its line: the value is the segment's literal, and parsing goes on with the next line.</summary>
    private ImapValue ReadLiteral()
    {
        var literal = _segments[_segment].Literal;
        var close = Line[_position..].IndexOf((byte)'}');
        if (literal is null || close < 0 || _position + close != Line.Length - 1 || _segment + 1 >= _segments.Count)
        {
            throw Error("literal marker not at end of line");
        }

        _segment++;
        _position = 0;
        return literal;
    }

    /// <summary>
    /// Reads an atom. A <c>[</c> inside an atom (fetch items such as <c>BODY[HEADER.FIELDS (FROM)]&lt;0&gt;</c>) takes
    /// everything up to the matching <c>]</c>, spaces included.
    /// </summary>
    private string ReadAtomText(bool stopAtBracket = false)
    {
        var line = Line;
        var start = _position;
        while (_position < line.Length)
        {
            var c = line[_position];
            if (c is (byte)' ' or (byte)'(' or (byte)')' or (byte)'"' or (byte)'{' || c < 0x20 || c == 0x7f)
            {
                break;
            }

            if (c == (byte)']' && stopAtBracket)
            {
                break;
            }

            if (c == (byte)'[' && !stopAtBracket && _position > start)
            {
                var close = line[_position..].IndexOf((byte)']');
                if (close < 0)
                {
                    throw Error("unterminated '[' in atom");
                }

                _position += close;
            }

            _position++;
        }

        return Encoding.Latin1.GetString(line[start.._position]);
    }

    private void ExpectSpace()
    {
        if (AtEndOfLine || Line[_position] != (byte)' ')
        {
            throw Error("space expected");
        }

        _position++;
    }

    private void SkipSpaces()
    {
        while (!AtEndOfLine && Line[_position] == (byte)' ')
        {
            _position++;
        }
    }

    private string RestOfLine()
    {
        var text = Encoding.UTF8.GetString(Line[_position..]);
        _position = Line.Length;
        return text;
    }

    private static ImapStatus? ToStatus(string word) => Array.IndexOf(StatusWords, word) switch
    {
        0 => ImapStatus.Ok,
        1 => ImapStatus.No,
        2 => ImapStatus.Bad,
        3 => ImapStatus.Bye,
        4 => ImapStatus.PreAuth,
        _ => null,
    };

    private ImapProtocolException Error(string what)
    {
        var line = Encoding.Latin1.GetString(_segments[0].Line.AsSpan(0, Math.Min(_segments[0].Line.Length, 200)));
        return new ImapProtocolException($"Malformed IMAP response ({what}): {line}");
    }

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
