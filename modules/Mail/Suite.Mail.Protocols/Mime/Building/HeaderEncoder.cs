using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Turns header content into foldable words: RFC 2047 encoded words (UTF-8, Q or B, whichever is shorter) for
/// non-ASCII text and display names, quoted strings for ASCII names with specials, IDNA for non-ASCII domains, and
/// RFC 2231 (with continuations) for non-ASCII parameter values. Encoded words are at most 64 characters so that even
/// the first one fits on the header line, and multi-byte characters are never split between two words.
/// </summary>
internal static class HeaderEncoder
{
    private const int MaxEncodedWordLength = 64;
    private const string Prefix = "=?utf-8?";
    private static readonly IdnMapping Idn = new();

    /// <summary>Words for an unstructured field (Subject, Comments); runs of whitespace become one space.</summary>
    public static List<string> Unstructured(string text)
    {
        var parts = text.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var words = new List<string>();
        var i = 0;
        while (i < parts.Length)
        {
            if (!NeedsEncoding(parts[i]))
            {
                words.Add(parts[i++]);
                continue;
            }

            var j = i;
            while (j < parts.Length && NeedsEncoding(parts[j]))
            {
                j++;
            }

            words.AddRange(EncodedWords(string.Join(' ', parts, i, j - i), phrase: false));
            i = j;
        }

        return words;
    }

    /// <summary>Words for a display name.</summary>
    public static List<string> Phrase(string name)
    {
        var text = string.Join(' ', name.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        if (text.Length == 0)
        {
            return [];
        }

        if (text.Any(c => c > 126 || c < 32) || text.Contains("=?", StringComparison.Ordinal))
        {
            return EncodedWords(text, phrase: true);
        }

        var words = text.Split(' ');
        if (words.All(w => w.All(HeaderLexer.IsAtext)))
        {
            return [.. words];
        }

        return [Quote(text)];
    }

    /// <summary>Words for an address list; commas are attached to the word they follow.</summary>
    public static List<string> Addresses(IEnumerable<MailboxAddress> mailboxes)
    {
        var words = new List<string>();
        foreach (var mailbox in mailboxes)
        {
            if (words.Count > 0)
            {
                words[^1] += ",";
            }

            var address = AddrSpec(mailbox.Address);
            if (mailbox.Name is { } name)
            {
                words.AddRange(Phrase(name));
                words.Add("<" + address + ">");
            }
            else
            {
                words.Add(address);
            }
        }

        return words;
    }

    /// <summary>"local@domain" with the local part quoted when needed and the domain in IDNA (punycode) form.</summary>
    public static string AddrSpec(string address)
    {
        var at = address.LastIndexOf('@');
        var local = at < 0 ? address : address[..at];
        var domain = at < 0 ? null : address[(at + 1)..];
        if (local.Length >= 2 && local[0] == '"' && local[^1] == '"')
        {
            local = local[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
        }

        var dotAtom = local.Length > 0 && !local.StartsWith('.') && !local.EndsWith('.') && !local.Contains("..", StringComparison.Ordinal)
            && local.All(c => HeaderLexer.IsAtext(c) || c == '.');
        var localText = dotAtom ? local : Quote(local);
        if (domain is null)
        {
            return localText;
        }

        if (domain.Any(c => c > 127))
        {
            try
            {
                domain = Idn.GetAscii(domain);
            }
            catch (ArgumentException)
            {
                // keep the Unicode form (RFC 6532)
            }
        }

        return localText + "@" + domain;
    }

    /// <summary>Words for "type/subtype; a=b; c=d" (Content-Type / Content-Disposition).</summary>
    public static List<string> WithParameters(string value, IReadOnlyList<(string Name, string Value)> parameters)
    {
        var words = new List<string> { value };
        foreach (var (name, paramValue) in parameters)
        {
            foreach (var word in Parameter(name, paramValue))
            {
                words[^1] += ";";
                words.Add(word);
            }
        }

        return words;
    }

    /// <summary>One or more words for a parameter: token, quoted string, or RFC 2231 sections for non-ASCII.</summary>
    public static List<string> Parameter(string name, string value)
    {
        if (value.All(c => c is > ' ' and < (char)127) && value.Length > 0 && value.All(HeaderLexer.IsTokenChar))
        {
            return [name + "=" + value];
        }

        if (value.All(c => c is >= ' ' and < (char)127) && value.Length <= 60)
        {
            return [name + "=" + Quote(value)];
        }

        var encoded = PercentEncode(value);
        const string charsetPrefix = "utf-8''";
        if (charsetPrefix.Length + encoded.Length + name.Length <= 60)
        {
            return [name + "*=" + charsetPrefix + encoded];
        }

        var words = new List<string>();
        var section = 0;
        var pos = 0;
        while (pos < encoded.Length)
        {
            var take = Math.Min(48, encoded.Length - pos);
            while (pos + take < encoded.Length && take > 2 && (encoded[pos + take - 1] == '%' || encoded[pos + take - 2] == '%'))
            {
                take--; // never cut a %XX escape
            }

            var chunk = encoded.Substring(pos, take);
            words.Add($"{name}*{section.ToString(CultureInfo.InvariantCulture)}*={(section == 0 ? charsetPrefix : string.Empty)}{chunk}");
            pos += take;
            section++;
        }

        return words;
    }

    /// <summary>The legacy quoted RFC 2047 form of a non-ASCII file name, which older clients read: name="=?utf-8?...?=".</summary>
    public static List<string> LegacyEncodedParameter(string name, string value)
    {
        var words = EncodedWords(value, phrase: true);
        words[0] = name + "=\"" + words[0];
        words[^1] += "\"";
        return words;
    }

    public static bool IsAsciiPrintable(string value) => value.All(c => c is >= ' ' and < (char)127);

    public static string Quote(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool NeedsEncoding(string word) =>
        word.Length > 900 || word.Contains("=?", StringComparison.Ordinal) || word.Any(c => c > 126 || c < 32);

    /// <summary>Splits <paramref name="text"/> into UTF-8 encoded words, choosing Q or B by resulting length.</summary>
    public static List<string> EncodedWords(string text, bool phrase)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var qLength = bytes.Sum(b => IsQLiteral(b, phrase) || b == ' ' ? 1 : 3);
        var base64Length = (bytes.Length + 2) / 3 * 4;
        return qLength <= base64Length ? QWords(text, phrase) : BWords(text);
    }

    private static List<string> QWords(string text, bool phrase)
    {
        const int budget = MaxEncodedWordLength - 12; // "=?utf-8?Q?" + "?="
        var words = new List<string>();
        var current = new StringBuilder();
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.EncodeToUtf8(utf8);
            var piece = new StringBuilder();
            for (var k = 0; k < n; k++)
            {
                var b = utf8[k];
                if (b == ' ')
                {
                    piece.Append('_');
                }
                else if (IsQLiteral(b, phrase))
                {
                    piece.Append((char)b);
                }
                else
                {
                    piece.Append('=').Append((char)Hex.UpperDigit(b >> 4)).Append((char)Hex.UpperDigit(b));
                }
            }

            if (current.Length + piece.Length > budget && current.Length > 0)
            {
                words.Add(Prefix + "Q?" + current + "?=");
                current.Clear();
            }

            current.Append(piece);
        }

        if (current.Length > 0)
        {
            words.Add(Prefix + "Q?" + current + "?=");
        }

        return words;
    }

    private static List<string> BWords(string text)
    {
        const int maxBytes = (MaxEncodedWordLength - 12) / 4 * 3;
        var words = new List<string>();
        var current = new List<byte>(maxBytes);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var n = rune.EncodeToUtf8(utf8);
            if (current.Count + n > maxBytes && current.Count > 0)
            {
                words.Add(Prefix + "B?" + Convert.ToBase64String([.. current]) + "?=");
                current.Clear();
            }

            for (var k = 0; k < n; k++)
            {
                current.Add(utf8[k]);
            }
        }

        if (current.Count > 0)
        {
            words.Add(Prefix + "B?" + Convert.ToBase64String([.. current]) + "?=");
        }

        return words;
    }

    /// <summary>Characters allowed unencoded in a Q word: RFC 2047 §5 rule (3) for phrases, printable ASCII otherwise.</summary>
    private static bool IsQLiteral(byte b, bool phrase) =>
        phrase
            ? b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/'
            : b is > 32 and < 127 and not ((byte)'=' or (byte)'?' or (byte)'_' or (byte)'"' or (byte)'(' or (byte)')');

    private static string PercentEncode(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var attrChar = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'&' or (byte)'+' or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';
            if (attrChar)
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append('%').Append((char)Hex.UpperDigit(b >> 4)).Append((char)Hex.UpperDigit(b));
            }
        }

        return sb.ToString();
    }
}
