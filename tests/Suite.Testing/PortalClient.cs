using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Suite.Testing;

/// <summary>A browser-like HTTP client for the server-rendered pages: keeps cookies, follows redirects, and
/// submits forms with their hidden fields (antiforgery token, Blazor's _handler) like a person would.</summary>
public sealed class PortalClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly HtmlParser _parser = new();
    private readonly CookieContainer _cookies = new();

    public PortalClient(string baseUrl)
    {
        var handler = new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false, UseCookies = true };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        _http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
    }

    /// <summary>The signed-in session's cookies, for a WebSocket opened beside this client.</summary>
    public CookieContainer Cookies => _cookies;

    public sealed record Page(HttpStatusCode Status, string Path, string Html, IHtmlDocument Document)
    {
        public string Text => Document.Body?.TextContent ?? "";
    }

    public async Task<Page> GetAsync(string path)
    {
        using var response = await _http.GetAsync(path);
        return await FollowAsync(response, path);
    }

    public Task<HttpResponseMessage> RawGetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> RawPostAsync(string path) => _http.PostAsync(path, content: null);

    /// <summary>Loads <paramref name="path"/>, fills the form matched by <paramref name="formSelector"/> and submits it.
    /// <paramref name="submitter"/> is the name=value of the button pressed, when it matters.</summary>
    public async Task<Page> SubmitAsync(string path, string formSelector, IReadOnlyDictionary<string, string> fields,
        (string Name, string Value)? submitter = null, (string Field, string FileName, byte[] Content)? file = null)
    {
        var page = await GetAsync(path);
        return await SubmitOnAsync(page, formSelector, fields, submitter, file);
    }

    public async Task<Page> SubmitOnAsync(Page page, string formSelector, IReadOnlyDictionary<string, string> fields,
        (string Name, string Value)? submitter = null, (string Field, string FileName, byte[] Content)? file = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Path} (status {page.Status}). Page text: {Trim(page.Text)}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>())
        {
            if (!fields.ContainsKey(input.Name!))
                values.Add(new(input.Name!, input.Value));
        }
        values.AddRange(fields);
        if (submitter is { } button)
            values.Add(new(button.Name, button.Value));
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? page.Path : form.GetAttribute("action")!;
        HttpContent content;
        if (file is { } upload)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (key, value) in values)
                multipart.Add(new StringContent(value), key);
            multipart.Add(new ByteArrayContent(upload.Content), upload.Field, upload.FileName);
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(values);
        }
        using var response = await _http.PostAsync(action, content);
        return await FollowAsync(response, action);
    }

    private async Task<Page> FollowAsync(HttpResponseMessage response, string path)
    {
        for (var hops = 0; hops < 8 && (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            path = response.Headers.Location!.IsAbsoluteUri ? response.Headers.Location.PathAndQuery : response.Headers.Location.OriginalString;
            response.Dispose();
            response = await _http.GetAsync(path);
        }
        var html = await response.Content.ReadAsStringAsync();
        var status = response.StatusCode;
        response.Dispose();
        return new Page(status, path, html, await _parser.ParseDocumentAsync(html));
    }

    private static string Trim(string text) => text.Length > 600 ? text[..600] : text;

    public void Dispose() => _http.Dispose();
}

/// <summary>Reads the invitation links the portal "sent" (the development mail sink writes files).</summary>
public static class Outbox
{
    public static string InvitationLinkFor(string outbox, string email) => LinkFor(outbox, email, "/account/invitation?token=");

    /// <summary>The newest link starting with <paramref name="pathPrefix"/> in a mail sent to <paramref name="email"/>.</summary>
    public static string LinkFor(string outbox, string email, string pathPrefix)
    {
        foreach (var file in Directory.EnumerateFiles(outbox).OrderByDescending(File.GetLastWriteTimeUtc))
        {
            var text = File.ReadAllText(file);
            if (!text.StartsWith("To: " + email + "\r\n", StringComparison.OrdinalIgnoreCase))
                continue;
            var start = text.IndexOf(pathPrefix, StringComparison.Ordinal);
            if (start >= 0)
                return text[start..].Split('\r', '\n')[0];
        }
        throw new InvalidOperationException($"No mail with {pathPrefix} for {email} in {outbox}.");
    }
}
