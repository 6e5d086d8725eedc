using System.Collections.Concurrent;
using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Maps MIME charset labels to <see cref="Encoding"/> instances. Code-page encodings (windows-125x, iso-8859-x, koi8-r,
/// shift_jis, ...) come from <see cref="CodePagesEncodingProvider"/>, registered once by the static constructor.
/// Labels are resolved the way browsers do where it matters for mail: iso-8859-1, latin1 and us-ascii content that
/// contains 8-bit bytes is read as windows-1252, a superset of iso-8859-1 for every printable character.
/// Every encoding returned decodes with replacement characters and never throws.
/// </summary>
internal static class Charsets
{
    private const int MaxCachedLabels = 512;

    private static readonly ConcurrentDictionary<string, Encoding?> Cache = new(StringComparer.OrdinalIgnoreCase);

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
    }

    /// <summary>UTF-8 without BOM emission; invalid input decodes to U+FFFD.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    public static Encoding Windows1252 { get; }

    /// <summary>Makes sure the code-page provider is registered before a caller uses <see cref="Encoding.GetEncoding(int)"/>.</summary>
    public static void EnsureRegistered() => _ = Windows1252;

    /// <summary>
    /// Returns the encoding for a charset label, or null when the label is missing, unknown, or only says "ASCII"
    /// (in which case the caller should sniff the bytes with <see cref="DecodeUnknown"/>).
    /// </summary>
    public static Encoding? Find(string? label)
    {
        if (string.IsNullOrWhiteSpace(label))
        {
            return null;
        }

        var key = Normalize(label);
        if (key.Length == 0 || key.Length > 64)
        {
            return null;
        }

        if (Cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // Labels come from untrusted mail: cache a bounded number so random labels cannot grow memory forever.
        var resolved = Resolve(key);
        if (Cache.Count < MaxCachedLabels)
        {
            Cache.TryAdd(key, resolved);
        }

        return resolved;
    }

    /// <summary>Decodes with the declared charset when it is known, otherwise by sniffing (UTF-8, then fallback).</summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? label, Encoding? fallback = null)
    {
        var encoding = Find(label);
        return encoding is null ? DecodeUnknown(bytes, fallback) : encoding.GetString(bytes);
    }

    /// <summary>ASCII and valid UTF-8 decode as UTF-8; anything else decodes with <paramref name="fallback"/> (windows-1252 by default).</summary>
    public static string DecodeUnknown(ReadOnlySpan<byte> bytes, Encoding? fallback = null)
    {
        if (Ascii.IsValid(bytes) || System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return Charsets.Utf8.GetString(bytes);
        }

        return (fallback ?? Windows1252).GetString(bytes);
    }

    private static string Normalize(string label)
    {
        var span = label.AsSpan().Trim().Trim('"').Trim();
        var star = span.IndexOf('*'); // RFC 2231 §5 language suffix: charset*lang
        if (star >= 0)
        {
            span = span[..star];
        }

        return span.ToString().ToLowerInvariant();
    }

    private static Encoding? Resolve(string key)
    {
        switch (key)
        {
            case "us-ascii" or "ascii" or "ansi_x3.4-1968" or "iso646-us" or "us" or "x-unknown" or "unknown" or "default":
                return null;
            case "utf-8" or "utf8" or "unicode-1-1-utf-8" or "x-unicode20utf8":
                return Utf8;
            case "iso-8859-1" or "iso8859-1" or "iso_8859-1" or "latin1" or "latin-1" or "l1" or "cp819" or "ibm819" or "cp1252" or "windows-1252":
                return Windows1252;
            case "ks_c_5601-1987" or "ks_c_5601" or "korean":
                return TryGet("euc-kr");
            case "gbk" or "x-gbk" or "gb_2312-80" or "cp936":
                return TryGet("gb2312");
            case "x-sjis" or "shift-jis" or "sjis" or "ms_kanji":
                return TryGet("shift_jis");
            case "utf-7" or "unicode-1-1-utf-7":
                return null; // disabled in .NET for security reasons; the sniffing fallback is safer.
        }

        if (key.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(key.AsSpan(2), out var cp))
        {
            return TryGet(cp);
        }

        if (key.StartsWith("windows-", StringComparison.Ordinal) && int.TryParse(key.AsSpan(8), out var wcp))
        {
            return TryGet(wcp);
        }

        if (key.StartsWith("iso8859-", StringComparison.Ordinal))
        {
            return TryGet("iso-8859-" + key[8..]);
        }

        return TryGet(key);
    }

    private static Encoding? TryGet(string name)
    {
        EnsureRegistered();
        try
        {
            return Encoding.GetEncoding(name, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static Encoding? TryGet(int codePage)
    {
        EnsureRegistered();
        if (codePage is <= 0 or > 65535 || codePage == 65000)
        {
            return null;
        }

        try
        {
            return Encoding.GetEncoding(codePage, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
