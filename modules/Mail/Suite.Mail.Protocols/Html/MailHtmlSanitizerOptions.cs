namespace Suite.Mail.Protocols.Html;

public sealed class MailHtmlSanitizerOptions
{
    public static MailHtmlSanitizerOptions Default { get; } = new();

    /// <summary>
    /// Loads http(s) images. Off by default: a remote image tells the sender that, when and from where the mail was
    /// read. Blocked images keep their address in <see cref="MailHtmlSanitizer.BlockedSourceAttribute"/>.
    /// </summary>
    public bool AllowRemoteImages { get; init; }

    /// <summary>
    /// Maps the Content-ID of an inline part (from <c>cid:</c>) to the URL the reader serves it at; null leaves the
    /// image without a source.
    /// </summary>
    public Func<string, string?>? ResolveContentId { get; init; }

    /// <summary>Keeps &lt;style&gt; sheets, stripped of imports, fonts, url() and script-like constructs.</summary>
    public bool KeepStyleSheets { get; init; } = true;
}

/// <summary>The sanitized markup and what was taken out that the reader may want to mention.</summary>
/// <param name="Html">Markup for the body of a sandboxed reading frame (style sheets first).</param>
/// <param name="BlockedRemoteImages">Remote images left without a source: offer "show images".</param>
public sealed record SanitizedHtml(string Html, int BlockedRemoteImages);
