using System.Buffers;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Quoted-printable encoding of CRLF-normalised text (RFC 2045 §6.7): CRLF pairs stay hard line breaks, encoded lines
/// are at most 76 characters using soft breaks, "=" and non-printable bytes become =XX, and whitespace at the end of a
/// line is encoded so transports cannot strip it.
/// </summary>
internal static class QuotedPrintableEncoder
{
    private const int MaxLine = 76;

    public static byte[] Encode(ReadOnlySpan<byte> text)
    {
        var output = new ArrayBufferWriter<byte>(text.Length + (text.Length / 8) + 16);
        var lineLength = 0;
        Span<byte> token = stackalloc byte[3];
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'\r' && i + 1 < text.Length && text[i + 1] == (byte)'\n')
            {
                Write(output, "\r\n"u8);
                lineLength = 0;
                i++;
                continue;
            }

            var atLineEnd = i + 1 == text.Length || (text[i + 1] == (byte)'\r' && i + 2 < text.Length && text[i + 2] == (byte)'\n');
            int tokenLength;
            if ((b is (byte)' ' or (byte)'\t' && !atLineEnd) || (b is >= 33 and <= 126 && b != (byte)'='))
            {
                token[0] = b;
                tokenLength = 1;
            }
            else
            {
                token[0] = (byte)'=';
                token[1] = Hex.UpperDigit(b >> 4);
                token[2] = Hex.UpperDigit(b);
                tokenLength = 3;
            }

            // Room must remain for the "=" of a soft break unless this token ends the line.
            var limit = atLineEnd ? MaxLine : MaxLine - 1;
            if (lineLength + tokenLength > limit)
            {
                Write(output, "=\r\n"u8);
                lineLength = 0;
            }

            Write(output, token[..tokenLength]);
            lineLength += tokenLength;
        }

        return output.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
