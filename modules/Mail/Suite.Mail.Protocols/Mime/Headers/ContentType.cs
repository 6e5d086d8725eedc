namespace Suite.Mail.Protocols.Mime;

/// <summary>A parsed Content-Type header (RFC 2045 §5). Parsing never fails: unusable values give text/plain.</summary>
public sealed class ContentType
{
    internal ContentType(string mediaType, string mediaSubtype, ParameterList parameters)
    {
        MediaType = mediaType;
        MediaSubtype = mediaSubtype;
        Parameters = parameters;
    }

    /// <summary>text/plain; charset=us-ascii, the RFC 2045 §5.2 default.</summary>
    public static ContentType Default { get; } = new("text", "plain", ParameterList.Empty);

    /// <summary>message/rfc822, the default inside multipart/digest (RFC 2046 §5.1.5).</summary>
    internal static ContentType DigestDefault { get; } = new("message", "rfc822", ParameterList.Empty);

    /// <summary>Lower-case top-level type, e.g. "text".</summary>
    public string MediaType { get; }

    /// <summary>Lower-case subtype, e.g. "plain".</summary>
    public string MediaSubtype { get; }

    /// <summary>"type/subtype" in lower case.</summary>
    public string MimeType => MediaType + "/" + MediaSubtype;

    public ParameterList Parameters { get; }

    public string? Charset => Parameters["charset"];

    public string? Boundary => Parameters["boundary"];

    /// <summary>The legacy "name" parameter, often the only file name Outlook-style mailers give.</summary>
    public string? Name => Parameters["name"];

    public bool IsMultipart => MediaType == "multipart";

    public bool IsText => MediaType == "text";

    public bool Is(string mediaType, string mediaSubtype) =>
        string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && (mediaSubtype == "*" || string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses a Content-Type value; returns <see cref="Default"/> when no type/subtype can be read.</summary>
    public static ContentType Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Default;
        }

        var lx = new HeaderLexer(value);
        lx.SkipCfws();
        var type = lx.ReadToken().ToLowerInvariant();
        lx.SkipCfws();
        string subtype;
        if (lx.Is('/'))
        {
            lx.Position++;
            lx.SkipCfws();
            subtype = lx.ReadToken().ToLowerInvariant();
        }
        else
        {
            subtype = string.Empty;
        }

        if (type.Length == 0)
        {
            return Default;
        }

        if (subtype.Length == 0)
        {
            subtype = type switch
            {
                "text" => "plain",
                "multipart" => "mixed",
                _ => "octet-stream",
            };
            if (type is not ("text" or "multipart"))
            {
                type = "application";
            }
        }

        return new ContentType(type, subtype, ParameterParser.Parse(lx));
    }

    public override string ToString() => MimeType;
}
