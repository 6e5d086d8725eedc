using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Suite.Mail.Features.Connection;

namespace Suite.Mail.Features.Reading;

/// <summary>What the reading page loads besides itself, under /api/mail (gated by the module policy): the HTML body
/// for the sandboxed frame and the attachments.</summary>
internal static class MailEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/html", HtmlAsync);
        api.MapGet("/part", PartAsync);
        api.MapGet("/inline", InlineAsync);
        api.MapGet("/recipients", Compose.Recipients.SuggestAsync);
    }

    private static async Task<IResult> HtmlAsync(string folder, uint uid, bool? images, MessageReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        HtmlBody? html;
        try
        {
            html = await reader.HtmlAsync(folder, uid, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, detail: MailErrors.Explain(error).Key);
        }
        if (html is null)
            return Results.NotFound();
        var allowImages = images == true;
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = HtmlView.ContentSecurityPolicy(allowImages);
        headers.XFrameOptions = "SAMEORIGIN";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        var sanitized = HtmlView.Sanitize(html.Html, allowImages, cid => html.InlineParts.ContainsKey(cid) ? HtmlView.InlineUrl(folder, uid, cid) : null);
        return Results.Content(HtmlView.Document(sanitized), "text/html; charset=utf-8");
    }

    /// <summary>Raster image types an inline part may be served as; anything else (SVG included) is not an inline image.</summary>
    private static readonly HashSet<string> InlineImageTypes = new(StringComparer.OrdinalIgnoreCase)
        { "image/png", "image/jpeg", "image/jpg", "image/gif", "image/webp", "image/bmp" };

    /// <summary>An inline image of the message (cid:), for its reading frame: never a remote fetch, only the part.</summary>
    private static async Task InlineAsync(string folder, uint uid, string cid, PartDownload download, HttpContext http, CancellationToken cancellationToken)
    {
        var response = http.Response;
        Protocols.Imap.ImapBodyPart? part;
        try
        {
            part = await download.FindByContentIdAsync(folder, uid, cid, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        if (part is null || !InlineImageTypes.Contains(part.ContentType))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.ContentType = part.ContentType.ToLowerInvariant();
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "private, no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        await download.CopyDecodedAsync(uid, part, response.Body, cancellationToken);
    }

    private static async Task PartAsync(string folder, uint uid, string section, PartDownload download, HttpContext http, CancellationToken cancellationToken)
    {
        var response = http.Response;
        Protocols.Imap.ImapBodyPart? part;
        try
        {
            part = await download.FindAsync(folder, uid, section, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            response.StatusCode = StatusCodes.Status502BadGateway;
            return;
        }
        if (part is null || part.IsMultipart)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        // Always a download, never rendered by the portal's origin, whatever type the sender claimed.
        response.ContentType = "application/octet-stream";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(part.FileName ?? "piece-jointe");
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        await download.CopyDecodedAsync(uid, part, response.Body, cancellationToken);
    }
}
