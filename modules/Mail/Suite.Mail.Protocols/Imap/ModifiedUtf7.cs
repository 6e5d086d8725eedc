using System.Text;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// Modified UTF-7 for mailbox names (RFC 3501 §5.1.3): printable ASCII stands for itself except "&amp;", which is
/// "&amp;-"; other characters are UTF-16 in base64 with "," for "/", no padding, between "&amp;" and "-".
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var result = new StringBuilder(name.Length + 8);
        var pending = new List<byte>();
        foreach (var c in name)
        {
            if (c is >= (char)0x20 and <= (char)0x7e)
            {
                FlushShifted(result, pending);
                result.Append(c == '&' ? "&-" : c);
            }
            else
            {
                pending.Add((byte)(c >> 8));
                pending.Add((byte)c);
            }
        }

        FlushShifted(result, pending);
        return result.ToString();
    }

    /// <summary>Decodes a mailbox name; a name that is not valid modified UTF-7 is returned unchanged.</summary>
    public static string Decode(string encoded) => TryDecode(encoded, out var name) ? name : encoded;

    public static bool TryDecode(string encoded, out string name)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        name = encoded;
        var result = new StringBuilder(encoded.Length);
        var i = 0;
        while (i < encoded.Length)
        {
            var c = encoded[i++];
            if (c != '&')
            {
                result.Append(c);
                continue;
            }

            var end = encoded.IndexOf('-', i);
            if (end < 0)
            {
                return false;
            }

            if (end == i)
            {
                result.Append('&');
                i++;
                continue;
            }

            if (!TryDecodeShifted(encoded.AsSpan(i, end - i), result))
            {
                return false;
            }

            i = end + 1;
        }

        name = result.ToString();
        return true;
    }

    private static void FlushShifted(StringBuilder result, List<byte> bytes)
    {
        if (bytes.Count == 0)
        {
            return;
        }

        result.Append('&');
        int bits = 0, buffer = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 6)
            {
                bits -= 6;
                result.Append(Alphabet[(buffer >> bits) & 0x3f]);
            }
        }

        if (bits > 0)
        {
            result.Append(Alphabet[(buffer << (6 - bits)) & 0x3f]);
        }

        result.Append('-');
        bytes.Clear();
    }

    private static bool TryDecodeShifted(ReadOnlySpan<char> text, StringBuilder result)
    {
        int bits = 0, buffer = 0;
        var units = new List<char>();
        var high = -1;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(c);
            if (value < 0)
            {
                return false;
            }

            buffer = ((buffer << 6) | value) & 0xffffff;
            bits += 6;
            if (bits < 8)
            {
                continue;
            }

            bits -= 8;
            var b = (buffer >> bits) & 0xff;
            if (high < 0)
            {
                high = b;
            }
            else
            {
                units.Add((char)((high << 8) | b));
                high = -1;
            }
        }

        // Left-over bits must be zero padding, and a shifted run never encodes plain printable ASCII.
        if (high >= 0 || (buffer & ((1 << bits) - 1)) != 0 || units.Count == 0)
        {
            return false;
        }

        var decoded = new string([.. units]);
        if (!IsWellFormedUtf16(decoded))
        {
            return false;
        }

        result.Append(decoded);
        return true;
    }

    private static bool IsWellFormedUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
