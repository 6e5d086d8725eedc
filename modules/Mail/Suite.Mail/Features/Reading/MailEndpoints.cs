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
    }

    private static async Task<IResult> HtmlAsync(string folder, uint uid, bool? images, MessageReader reader, HttpContext http, CancellationToken cancellationToken)
    {
        string? html;
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
        return Results.Content(HtmlView.Document(HtmlView.Sanitize(html, allowImages)), "text/html; charset=utf-8");
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
