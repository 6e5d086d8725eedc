using Suite.Mail.Protocols.Html;

namespace Suite.Mail.Features.Reading;

/// <summary>Turns a mail's HTML into the document of the sandboxed reading frame, and the headers that confine it.</summary>
internal static class HtmlView
{
    private static readonly MailHtmlSanitizer Sanitizer = new();

    public static SanitizedHtml Sanitize(string html, bool allowRemoteImages, Func<string, string?>? resolveContentId = null) =>
        Sanitizer.Sanitize(html, new MailHtmlSanitizerOptions { AllowRemoteImages = allowRemoteImages, ResolveContentId = resolveContentId });

    public static string Document(SanitizedHtml sanitized) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\"></head><body>" + sanitized.Html + "</body></html>";

    /// <summary>The frame's sandbox: no script ever; same origin only so that the message's own inline images, served
    /// by the portal, come with the session cookie (without scripts, same origin gives the mail no power).</summary>
    public const string Sandbox = "allow-same-origin allow-popups allow-popups-to-escape-sandbox";

    /// <summary>Defence in depth behind the sanitizer: no script at all, nothing fetched but the message's inline
    /// images from the portal and (when the reader allowed it) remote images, inline styles only, framed by the portal
    /// alone, and a sandbox even if opened outside the frame.</summary>
    public static string ContentSecurityPolicy(bool allowRemoteImages) =>
        "default-src 'none'; style-src 'unsafe-inline'; font-src data:; " +
        (allowRemoteImages ? "img-src 'self' data: https: http:; " : "img-src 'self' data:; ") +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox " + Sandbox;

    /// <summary>Where the reading frame loads an inline (cid:) image of the message: the module's own endpoint.</summary>
    public static string InlineUrl(string folder, uint uid, string contentId) =>
        $"/api/mail/inline?folder={Uri.EscapeDataString(folder)}&uid={uid}&cid={Uri.EscapeDataString(contentId)}";
}
