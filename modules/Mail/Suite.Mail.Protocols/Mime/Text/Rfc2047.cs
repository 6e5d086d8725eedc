using System.Buffers;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Decoding of RFC 2047 encoded words (<c>=?charset[*lang]?B|Q?text?=</c>). The decoder is lenient the way real mail
/// needs: encoded words are recognised even when not separated by whitespace from surrounding text or inside quoted
/// strings, whitespace between adjacent encoded words is dropped (§6.2), and the bytes of adjacent words in the same
/// charset are joined before decoding, so a multi-byte character split across two words still decodes. Unknown
/// charsets decode by sniffing (UTF-8, then windows-1252). Malformed words are left as they are.
/// </summary>
public static class Rfc2047
{
    /// <summary>Decodes every encoded word in <paramref name="text"/>.</summary>
    public static string Decode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var first = text.IndexOf("=?", StringComparison.Ordinal);
        if (first < 0)
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var pending = new ArrayBufferWriter<byte>();
        string? pendingCharset = null;
        var copyFrom = 0;
        var searchFrom = first;
        var skipUntil = -1;
        var previousWasEncoded = false;

        while (searchFrom < text.Length)
        {
            var start = text.IndexOf("=?", searchFrom, StringComparison.Ordinal);
            if (start < 0)
            {
                break;
            }

            var word = default(EncodedWord);
            var noCloseBefore = -1;
            if (start < skipUntil || !TryParseWord(text, start, out word, out noCloseBefore))
            {
                if (noCloseBefore > skipUntil)
                {
                    skipUntil = noCloseBefore;
                }

                searchFrom = start + 2;
                continue;
            }

            var gap = text.AsSpan(copyFrom, start - copyFrom);
            if (!(previousWasEncoded && gap.IsWhiteSpace()))
            {
                Flush(output, pending, ref pendingCharset);
                output.Append(gap);
            }

            if (pendingCharset is not null && !string.Equals(pendingCharset, word.Charset, StringComparison.OrdinalIgnoreCase))
            {
                Flush(output, pending, ref pendingCharset);
            }

            pendingCharset = word.Charset;
            DecodePayload(text.AsSpan(word.TextStart, word.TextLength), word.IsBase64, pending);
            copyFrom = searchFrom = word.End;
            previousWasEncoded = true;
        }

        Flush(output, pending, ref pendingCharset);
        output.Append(text.AsSpan(copyFrom));
        return output.ToString();
    }

    private static void Flush(StringBuilder output, ArrayBufferWriter<byte> pending, ref string? charset)
    {
        if (charset is null)
        {
            return;
        }

        output.Append(Charsets.Decode(pending.WrittenSpan, charset));
        pending.Clear();
        charset = null;
    }

    private static void DecodePayload(ReadOnlySpan<char> payload, bool base64, ArrayBufferWriter<byte> sink)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(payload.Length);
        try
        {
            for (var i = 0; i < payload.Length; i++)
            {
                bytes[i] = payload[i] < 256 ? (byte)payload[i] : (byte)'?';
            }

            var input = bytes.AsSpan(0, payload.Length);
            if (base64)
            {
                var core = default(Base64Core);
                var span = sink.GetSpan((payload.Length * 3 / 4) + 3);
                var n = core.Decode(input, span);
                n += core.Flush(span[n..]);
                sink.Advance(n);
            }
            else
            {
                var span = sink.GetSpan(payload.Length);
                var n = 0;
                for (var i = 0; i < input.Length; i++)
                {
                    var c = input[i];
                    if (c == (byte)'_')
                    {
                        span[n++] = (byte)' ';
                    }
                    else if (c == (byte)'=' && i + 2 < input.Length && Hex.Value(input[i + 1]) >= 0 && Hex.Value(input[i + 2]) >= 0)
                    {
                        span[n++] = (byte)((Hex.Value(input[i + 1]) << 4) | Hex.Value(input[i + 2]));
                        i += 2;
                    }
                    else
                    {
                        span[n++] = c;
                    }
                }

                sink.Advance(n);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private readonly record struct EncodedWord(string Charset, bool IsBase64, int TextStart, int TextLength, int End);

    /// <summary>
    /// Parses the encoded word at <paramref name="start"/>. When the word has a valid prefix but no "?=" before
    /// whitespace or the end of the text, <paramref name="noCloseBefore"/> tells where the scan stopped: no other
    /// candidate starting before that position can close either, which keeps hostile input linear.
    /// </summary>
    private static bool TryParseWord(string text, int start, out EncodedWord word, out int noCloseBefore)
    {
        word = default;
        noCloseBefore = -1;
        var i = start + 2;
        var charsetStart = i;
        while (i < text.Length && IsTokenChar(text[i]))
        {
            i++;
        }

        if (i == charsetStart || i >= text.Length || text[i] != '?' || i - charsetStart > 64)
        {
            return false;
        }

        var charset = text[charsetStart..i];
        i++;
        if (i + 1 >= text.Length || text[i + 1] != '?')
        {
            return false;
        }

        var isBase64 = text[i] is 'B' or 'b';
        if (!isBase64 && text[i] is not ('Q' or 'q'))
        {
            return false;
        }

        i += 2;
        var textStart = i;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '?' && i + 1 < text.Length && text[i + 1] == '=')
            {
                var star = charset.IndexOf('*', StringComparison.Ordinal);
                word = new EncodedWord(star >= 0 ? charset[..star] : charset, isBase64, textStart, i - textStart, i + 2);
                return true;
            }

            if (c is ' ' or '\t' or '\r' or '\n')
            {
                break;
            }

            i++;
        }

        noCloseBefore = i;
        return false;
    }

    private static bool IsTokenChar(char c) =>
        c > ' ' && c < 127 && c is not ('(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '"' or '/' or '[' or ']' or '?' or '.' or '=' or '\\');
}
