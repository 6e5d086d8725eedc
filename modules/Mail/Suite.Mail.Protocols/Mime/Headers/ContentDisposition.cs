namespace Suite.Mail.Protocols.Mime;

/// <summary>A parsed Content-Disposition header (RFC 2183).</summary>
public sealed class ContentDisposition
{
    private ContentDisposition(string disposition, ParameterList parameters)
    {
        Disposition = disposition;
        Parameters = parameters;
    }

    /// <summary>Lower-case disposition type, usually "inline" or "attachment".</summary>
    public string Disposition { get; }

    public ParameterList Parameters { get; }

    public string? FileName => Parameters["filename"];

    public bool IsAttachment => Disposition == "attachment";

    public bool IsInline => Disposition == "inline";

    /// <summary>The "size" parameter when it holds a non-negative integer.</summary>
    public long? Size => long.TryParse(Parameters["size"], System.Globalization.NumberStyles.None, null, out var size) ? size : null;

    /// <summary>Parses a Content-Disposition value; a missing or unreadable type reads as "attachment" when parameters exist.</summary>
    public static ContentDisposition? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var lx = new HeaderLexer(value);
        lx.SkipCfws();
        var type = lx.ReadToken().ToLowerInvariant();
        var parameters = ParameterParser.Parse(lx);
        if (type.Length == 0)
        {
            type = "attachment";
        }

        return new ContentDisposition(type, parameters);
    }

    public override string ToString() => Disposition;
}
