using System.Buffers.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>Picks the transfer encoding of a CRLF-normalised UTF-8 text body and encodes it.</summary>
internal static class TextEncoding
{
    private const int MaxSevenBitLine = 998;

    public static (string Encoding, byte[] Body) Encode(byte[] text)
    {
        var unsafeBytes = 0;
        var longestLine = 0;
        var lineStart = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'\n')
            {
                longestLine = Math.Max(longestLine, i - lineStart);
                lineStart = i + 1;
            }
            else if (b >= 0x80 || b == 0 || b == 127 || (b < 32 && b is not ((byte)'\r' or (byte)'\t')))
            {
                unsafeBytes++;
            }
        }

        longestLine = Math.Max(longestLine, text.Length - lineStart);
        if (unsafeBytes == 0 && longestLine <= MaxSevenBitLine)
        {
            return (TransferEncodings.SevenBit, text);
        }

        // Quoted-printable triples each unsafe byte; beyond about one in six, base64 (4/3 for all) is smaller.
        if (unsafeBytes * 6 <= text.Length)
        {
            return (TransferEncodings.QuotedPrintable, QuotedPrintableEncoder.Encode(text));
        }

        return (TransferEncodings.Base64, Base64Lines(text));
    }

    private static byte[] Base64Lines(byte[] data)
    {
        const int lineBytes = 57;
        var lines = (data.Length + lineBytes - 1) / lineBytes;
        var output = new byte[(lines * 78) + 2];
        var written = 0;
        for (var offset = 0; offset < data.Length; offset += lineBytes)
        {
            var chunk = data.AsSpan(offset, Math.Min(lineBytes, data.Length - offset));
            Base64.EncodeToUtf8(chunk, output.AsSpan(written), out _, out var n);
            written += n;
            output[written++] = (byte)'\r';
            output[written++] = (byte)'\n';
        }

        return output.AsSpan(0, written).ToArray();
    }
}
