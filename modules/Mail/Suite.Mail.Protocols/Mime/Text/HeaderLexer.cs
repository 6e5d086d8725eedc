using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Cursor over an unfolded structured header value (RFC 5322 §3.2): whitespace, comments (nested, with quoted pairs),
/// quoted strings, atoms and MIME tokens. Unterminated comments and quoted strings end at the end of the text instead of
/// failing, which is how broken real-world headers are best read.
/// </summary>
internal sealed class HeaderLexer(string text)
{
    public string Text { get; } = text;

    public int Position { get; set; }

    public bool AtEnd => Position >= Text.Length;

    public char Current => Text[Position];

    public bool Is(char c) => Position < Text.Length && Text[Position] == c;

    public void SkipWhitespace()
    {
        while (Position < Text.Length && Text[Position] is ' ' or '\t' or '\r' or '\n')
        {
            Position++;
        }
    }

    /// <summary>Skips whitespace and comments; the text of each comment is added to <paramref name="comments"/> when given.</summary>
    public void SkipCfws(List<string>? comments = null)
    {
        while (true)
        {
            SkipWhitespace();
            if (!Is('('))
            {
                return;
            }

            var comment = ReadComment();
            comments?.Add(comment);
        }
    }

    /// <summary>Reads a comment starting at '(' and returns its content without the outer parentheses.</summary>
    public string ReadComment()
    {
        var sb = new StringBuilder();
        var depth = 0;
        while (Position < Text.Length)
        {
            var c = Text[Position++];
            if (c == '\\' && Position < Text.Length)
            {
                sb.Append(Text[Position++]);
                continue;
            }

            if (c == '(')
            {
                if (depth++ > 0)
                {
                    sb.Append(c);
                }

                continue;
            }

            if (c == ')')
            {
                if (--depth == 0)
                {
                    break;
                }

                sb.Append(c);
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Reads a quoted string starting at '"' and returns its unescaped content.</summary>
    public string ReadQuotedString()
    {
        var sb = new StringBuilder();
        Position++;
        while (Position < Text.Length)
        {
            var c = Text[Position++];
            if (c == '"')
            {
                break;
            }

            if (c == '\\' && Position < Text.Length)
            {
                c = Text[Position++];
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>Reads an RFC 5322 atom (atext), accepting any non-ASCII character (RFC 6532).</summary>
    public string ReadAtom() => ReadWhile(IsAtext);

    /// <summary>Reads an RFC 2045 token (no tspecials, no whitespace, no controls).</summary>
    public string ReadToken() => ReadWhile(IsTokenChar);

    /// <summary>Reads a domain literal starting at '[' including the brackets.</summary>
    public string ReadDomainLiteral()
    {
        var start = Position;
        var end = Text.IndexOf(']', Position);
        Position = end < 0 ? Text.Length : end + 1;
        return Text[start..Position];
    }

    public string ReadWhile(Func<char, bool> predicate)
    {
        var start = Position;
        while (Position < Text.Length && predicate(Text[Position]))
        {
            Position++;
        }

        return Text[start..Position];
    }

    public static bool IsAtext(char c) =>
        c > 127 || (c > ' ' && c < 127 && c is not ('(' or ')' or '<' or '>' or '[' or ']' or ':' or ';' or '@' or '\\' or ',' or '.' or '"'));

    public static bool IsTokenChar(char c) =>
        c > 127 || (c > ' ' && c < 127 && c is not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '='));
}
