using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// A command being composed: text and literals in order. Strings that cannot travel as quoted strings (non-ASCII,
/// CR/LF, very long) become literals; the client decides when sending whether a literal may go without waiting for a
/// continuation (LITERAL+ / LITERAL-).
/// </summary>
internal sealed class ImapCommand
{
    private readonly List<Part> _parts = [];
    private readonly StringBuilder _text = new();

    public ImapCommand(string name)
    {
        Name = name;
        _text.Append(name);
    }

    /// <summary>The command verb, for error messages (arguments may hold secrets).</summary>
    public string Name { get; }

    public IReadOnlyList<Part> Parts
    {
        get
        {
            FlushText();
            return _parts;
        }
    }

    /// <summary>Appends protocol text as is, preceded by a space.</summary>
    public ImapCommand Atom(string text)
    {
        _text.Append(' ').Append(text);
        return this;
    }

    /// <summary>Appends protocol text as is, with no space before it (closing parentheses).</summary>
    public ImapCommand Raw(string text)
    {
        _text.Append(text);
        return this;
    }

    public ImapCommand Number(ulong number) => Atom(number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Appends a string argument, quoted when possible, otherwise as a literal of its UTF-8 bytes.</summary>
    public ImapCommand String(string value)
    {
        _text.Append(' ');
        if (CanQuote(value))
        {
            _text.Append('"');
            foreach (var c in value)
            {
                if (c is '"' or '\\')
                {
                    _text.Append('\\');
                }

                _text.Append(c);
            }

            _text.Append('"');
            return this;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        return AddLiteral(new MemoryStream(bytes, writable: false), bytes.Length);
    }

    /// <summary>Appends a mailbox name, encoded in modified UTF-7.</summary>
    public ImapCommand Mailbox(string name) => String(ModifiedUtf7.Encode(name));

    /// <summary>Appends a literal read from <paramref name="content"/> (exactly <paramref name="length"/> bytes).</summary>
    public ImapCommand Literal(Stream content, long length)
    {
        _text.Append(' ');
        return AddLiteral(content, length);
    }

    private ImapCommand AddLiteral(Stream content, long length)
    {
        FlushText();
        _parts.Add(new Part(null, content, length));
        return this;
    }

    private void FlushText()
    {
        if (_text.Length > 0)
        {
            _parts.Add(new Part(Encoding.UTF8.GetBytes(_text.ToString()), null, 0));
            _text.Clear();
        }
    }

    private static bool CanQuote(string value)
    {
        if (value.Length > 1000)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Either protocol text or a literal's content.</summary>
    internal sealed record Part(byte[]? Text, Stream? Literal, long LiteralLength);
}
