using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Suite.Bench.Portal;

/// <summary>A cookie-keeping HTTP client that fills and submits the portal's server-rendered forms (hidden fields such
/// as the antiforgery token and Blazor's _handler included), the way a person with a browser would.</summary>
public sealed class FormClient : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public FormClient(string baseUrl, int maxConnections = 4)
    {
        Cookies = new CookieContainer();
        var handler = new SocketsHttpHandler
        {
            CookieContainer = Cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(20),
        };
        Http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(120) };
        Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
    }

    public CookieContainer Cookies { get; }
    public HttpClient Http { get; }

    public sealed record Page(HttpStatusCode Status, string Path, string Html, IHtmlDocument Document)
    {
        public string Text => Document.Body?.TextContent ?? "";
    }

    public async Task<Page> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return await FollowAsync(response, path);
    }

    public async Task<Page> SubmitAsync(string path, string formSelector, IReadOnlyDictionary<string, string> fields,
        (string Name, string Value)? button = null, (string Field, string FileName, byte[] Content)? file = null) =>
        await SubmitOnAsync(await GetAsync(path), formSelector, fields, button, file);

    public async Task<Page> SubmitOnAsync(Page page, string formSelector, IReadOnlyDictionary<string, string> fields,
        (string Name, string Value)? button = null, (string Field, string FileName, byte[] Content)? file = null)
    {
        var form = page.Document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form '{formSelector}' on {page.Path} ({page.Status}): {Short(page.Text)}");
        var values = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Where(input => input.Name is not null && !fields.ContainsKey(input.Name))
            .Select(input => new KeyValuePair<string, string>(input.Name!, input.Value))
            .Concat(fields)
            .ToList();
        if (button is { } pressed)
            values.Add(new(pressed.Name, pressed.Value));
        var action = form.GetAttribute("action") is { Length: > 0 } explicitAction ? explicitAction : page.Path;
        HttpContent content;
        if (file is { } upload)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in values)
                multipart.Add(new StringContent(value), name);
            multipart.Add(new ByteArrayContent(upload.Content), upload.Field, upload.FileName);
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(values);
        }
        var response = await Http.PostAsync(action, content);
        return await FollowAsync(response, action);
    }

    private async Task<Page> FollowAsync(HttpResponseMessage response, string path)
    {
        for (var hop = 0; hop < 8 && (int)response.StatusCode is >= 300 and < 400; hop++)
        {
            var location = response.Headers.Location!;
            path = location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
            response.Dispose();
            response = await Http.GetAsync(path);
        }
        using (response)
        {
            var html = await response.Content.ReadAsStringAsync();
            return new Page(response.StatusCode, path, html, await Parser.ParseDocumentAsync(html));
        }
    }

    public static string Short(string text) => text.Length > 400 ? text[..400] : text;

    public void Dispose() => Http.Dispose();
}

/// <summary>Brings a fresh portal to a state where the home page shows the notifications bell: first-run setup, one
/// ministry with one department, a CSV import of agents, their invitations accepted (links read from the outbox
/// folder), then signs them in. Everything goes through the portal's own pages.</summary>
public static class PortalSetup
{
    public const string Password = "Motdepasse-2026";
    public const string AdminEmail = "admin@bench.test";

    public static string AgentEmail(int index) => $"agent{index}@bench.test";

    public static async Task<IReadOnlyList<FormClient>> PrepareAsync(PortalProcess portal, int agents, int maxConnectionsPerAgent)
    {
        using (var admin = new FormClient(portal.BaseUrl))
        {
            var setup = await admin.GetAsync("/");
            Expect(setup.Path == "/setup", $"First visit ended on {setup.Path} ({setup.Status})", setup);
            var done = await admin.SubmitOnAsync(setup, "#setup-form", new Dictionary<string, string>
            {
                ["Form.DisplayName"] = "Admin Banc", ["Form.Email"] = AdminEmail, ["Form.Password"] = Password, ["Form.Confirm"] = Password,
            });
            Expect(done.Path == "/admin/ministries", $"Setup ended on {done.Path} ({done.Status})", done);

            var ministry = await admin.SubmitAsync("/admin/ministries", "#create-ministry", new Dictionary<string, string>
            {
                ["Form.Name"] = "Ministère du Banc d'essai", ["Form.ShortName"] = "MBE", ["Form.Slug"] = "banc",
            });
            Expect(ministry.Document.QuerySelector("#ministries")?.TextContent.Contains("Ministère du Banc", StringComparison.Ordinal) == true, "Ministry not created", ministry);
            var department = await admin.SubmitAsync("/admin/m/banc", "#create-department", new Dictionary<string, string>
            {
                ["Form.Name"] = "Mesures", ["Form.Slug"] = "mesures", ["Form.ParentId"] = "",
            });
            Expect((department.Document.QuerySelector("#departments")?.TextContent ?? department.Text).Contains("Mesures", StringComparison.Ordinal), "Department not created", department);

            var csv = new StringBuilder("nom;courriel;service\r\n");
            for (var i = 0; i < agents; i++)
                csv.Append($"Agent {i};{AgentEmail(i)};mesures\r\n");
            var checkedPage = await admin.SubmitAsync("/admin/m/banc/users", "#import-users", new Dictionary<string, string>(),
                ("ImportForm.Mode", "dry-run"), ("File", "agents.csv", Encoding.UTF8.GetBytes(csv.ToString())));
            Expect(checkedPage.Document.QuerySelector("#import-errors") is null, "The CSV dry run reported errors", checkedPage);
            var imported = await admin.SubmitOnAsync(checkedPage, "#import-users", new Dictionary<string, string>(), ("ImportForm.Mode", "import"));
            Expect(imported.Document.QuerySelector("#import-report") is not null, "The CSV import has no report", imported);
        }

        var clients = new List<FormClient>();
        for (var i = 0; i < agents; i++)
        {
            var email = AgentEmail(i);
            using (var invited = new FormClient(portal.BaseUrl))
            {
                var link = await InvitationLinkAsync(portal.Outbox, email);
                var accepted = await invited.SubmitAsync(link, "#invitation-form", new Dictionary<string, string> { ["Form.Password"] = Password, ["Form.Confirm"] = Password });
                Expect(accepted.Status == HttpStatusCode.OK, $"Invitation of {email} answered {accepted.Status}", accepted);
            }
            var agent = new FormClient(portal.BaseUrl, maxConnectionsPerAgent);
            var home = await agent.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = Password });
            Expect(home.Path == "/", $"Sign-in of {email} ended on {home.Path} ({home.Status})", home);
            Expect(home.Html.Contains("id=\"notifications-button\"", StringComparison.Ordinal), $"The home page of {email} has no notifications bell", home);
            clients.Add(agent);
        }
        return clients;
    }

    private static async Task<string> InvitationLinkAsync(string outbox, string email)
    {
        const string prefix = "/account/invitation?token=";
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (Directory.Exists(outbox))
            {
                foreach (var file in Directory.EnumerateFiles(outbox).OrderByDescending(File.GetLastWriteTimeUtc))
                {
                    var text = await File.ReadAllTextAsync(file);
                    if (!text.StartsWith("To: " + email + "\r\n", StringComparison.OrdinalIgnoreCase))
                        continue;
                    var start = text.IndexOf(prefix, StringComparison.Ordinal);
                    if (start >= 0)
                        return text[start..].Split('\r', '\n')[0];
                }
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"No invitation for {email} in {outbox}.");
    }

    private static void Expect(bool condition, string message, FormClient.Page page)
    {
        if (!condition)
            throw new InvalidOperationException($"{message}: {FormClient.Short(page.Text)}");
    }
}
