using Suite.Mail.Protocols.Html;

namespace Suite.Mail.Features.Reading;

/// <summary>Turns a mail's HTML into the document of the sandboxed reading frame, and the headers that confine it.</summary>
internal static class HtmlView
{
    private static readonly MailHtmlSanitizer Sanitizer = new();

    public static SanitizedHtml Sanitize(string html, bool allowRemoteImages) =>
        Sanitizer.Sanitize(html, new MailHtmlSanitizerOptions { AllowRemoteImages = allowRemoteImages });

    public static string Document(SanitizedHtml sanitized) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><base target=\"_blank\"></head><body>" + sanitized.Html + "</body></html>";

    /// <summary>Defence in depth behind the sanitizer: no script at all, nothing fetched but (when the reader allowed
    /// it) images, inline styles only, framed by the portal alone, and a sandbox even if opened outside the frame.</summary>
    public static string ContentSecurityPolicy(bool allowRemoteImages) =>
        "default-src 'none'; style-src 'unsafe-inline'; font-src data:; " +
        (allowRemoteImages ? "img-src data: https: http:; " : "img-src data:; ") +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox allow-popups allow-popups-to-escape-sandbox";
}
