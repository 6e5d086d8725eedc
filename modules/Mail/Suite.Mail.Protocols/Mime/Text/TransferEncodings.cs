namespace Suite.Mail.Protocols.Mime;

internal static class TransferEncodings
{
    public const string SevenBit = "7bit";
    public const string EightBit = "8bit";
    public const string Binary = "binary";
    public const string Base64 = "base64";
    public const string QuotedPrintable = "quoted-printable";

    /// <summary>Lower-cases the mechanism and strips comments and quotes; missing or empty means 7bit.</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return SevenBit;
        }

        var lx = new HeaderLexer(value);
        lx.SkipCfws();
        var token = lx.Is('"') ? lx.ReadQuotedString().Trim() : lx.ReadToken();
        token = token.ToLowerInvariant();
        return token switch
        {
            "" => SevenBit,
            "base-64" or "b64" => Base64,
            "quoted_printable" or "qp" => QuotedPrintable,
            _ => token,
        };
    }

    /// <summary>True for encodings whose bytes are the content itself.</summary>
    public static bool IsIdentity(string normalized) => normalized is not (Base64 or QuotedPrintable);
}
