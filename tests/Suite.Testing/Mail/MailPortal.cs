using System.Net;
using System.Text;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;
using Suite.Mail.Protocols.Smtp;
using Xunit;

namespace Suite.Testing.Mail;

/// <summary>A real Postfix + Dovecot and the real portal pointed at it through configuration (the mail module's
/// settings), brought to a known state through the portal's own pages: two ministries with one department each,
/// Alice, Bob and Dora at the Interior ministry, Carla at Culture, mail switched on for the Interior ministry only.
/// Used over HTTP by the module's tests and in Chromium by the end-to-end tests.</summary>
public sealed class MailPortal : IAsyncLifetime
{
    public const string AdminEmail = "admin@suite.test";
    public const string Password = "Motdepasse-2026";

    public MailServerFixture Server { get; } = new();
    public SuiteTestHost Host { get; private set; } = default!;

    /// <summary>More portal configuration, e.g. a short presence grace period ("Suite:Presence:Grace").</summary>
    public IReadOnlyDictionary<string, string?> ExtraSettings { get; init; } = new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        var settings = new Dictionary<string, string?>(ExtraSettings)
        {
            ["Suite:Settings:mail.imap-host"] = "127.0.0.1",
            ["Suite:Settings:mail.imap-port"] = Server.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Suite:Settings:mail.imap-tls"] = "starttls",
            ["Suite:Settings:mail.smtp-host"] = "127.0.0.1",
            ["Suite:Settings:mail.smtp-port"] = Server.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Suite:Settings:mail.smtp-tls"] = "starttls",
            ["Suite:Settings:mail.trusted-certificate"] = Server.Certificate.Thumbprint,
        };
        Host = await SuiteTestHost.StartAsync(settings: settings);
        using var admin = new PortalClient(Host.BaseUrl);
        var setup = await admin.GetAsync("/");
        await admin.SubmitOnAsync(setup, "#setup-form", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Admin Plateforme", ["Form.Email"] = AdminEmail, ["Form.Password"] = Password, ["Form.Confirm"] = Password,
        });
        await CreateMinistryAsync(admin, "Ministère de l'Intérieur", "MI", "interieur", "dgpn");
        await CreateMinistryAsync(admin, "Ministère de la Culture", "MC", "culture", "patrimoine");
        await ImportAsync(admin, "interieur", "nom;courriel;service\r\nAlice Martin;alice@interieur.test;dgpn\r\nBob Durand;bob@interieur.test;dgpn\r\nDora Petit;dora@interieur.test;dgpn\r\n");
        await ImportAsync(admin, "culture", "nom;courriel;service\r\nCarla Roux;carla@culture.test;patrimoine\r\n");
        foreach (var email in new[] { "alice@interieur.test", "bob@interieur.test", "dora@interieur.test", "carla@culture.test" })
            await AcceptInvitationAsync(email);
        var switched = await admin.SubmitAsync("/admin/m/interieur/modules", "#module-switches", new Dictionary<string, string> { ["switch:ministry:mail"] = "on" });
        Assert.Contains("Modifications enregistrées", switched.Text);
    }

    public async Task<PortalClient> SignInAsync(string email)
    {
        var client = new PortalClient(Host.BaseUrl);
        var home = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = Password });
        Assert.True(home.Path == "/", $"Sign-in of {email} ended on {home.Path}");
        return client;
    }

    /// <summary>Saves the mailbox credentials of <paramref name="user"/> on the portal's account page.</summary>
    public static Task<PortalClient.Page> SaveMailboxAsync(PortalClient client, MailUser user, string? password = null) =>
        client.SubmitAsync("/mail/account", "#mail-account", new Dictionary<string, string> { ["login"] = user.Address, ["password"] = password ?? user.Password });

    /// <summary>Sends a message from <paramref name="from"/> through the real Postfix, like any outside correspondent.</summary>
    public async Task SendAsync(MailUser from, MimeMessageBuilder message)
    {
        var stream = new MemoryStream();
        await message.WriteToAsync(stream);
        stream.Position = 0;
        await using var smtp = await SmtpClient.ConnectAsync(new SmtpClientOptions
        {
            Host = "127.0.0.1",
            Port = Server.SubmissionPort,
            Tls = MailTlsMode.StartTls,
            CertificateValidation = (_, certificate, _, _) => certificate?.GetCertHashString() == Server.Certificate.GetCertHashString(),
        });
        await smtp.AuthenticateAsync(from.Address, from.Password);
        await smtp.SendAsync(from.Address, message.To.Concat(message.Cc).Select(a => a.Address), stream);
        await smtp.QuitAsync();
    }

    /// <summary>Waits until a message with <paramref name="subject"/> is in <paramref name="folder"/> of <paramref name="user"/>'s mailbox.</summary>
    public async Task<ImapMessageSummary> WaitForAsync(MailUser user, string folder, string subject)
    {
        await using var imap = await Server.ConnectImapAsync(user);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await imap.ExamineAsync(folder);
            var uids = (await imap.UidSearchAsync(ImapSearchQuery.Subject(subject))).Uids;
            if (uids.Count > 0)
                return (await imap.UidFetchAsync(uids, ImapFetchItems.Summary | ImapFetchItems.BodyStructure)).Single();
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"No message '{subject}' in {folder} of {user.Address}.");
    }

    /// <summary>Through the platform administrator's pages: a new ministry with one department, its agents (who accept
    /// their invitations), mail switched on for it, and <paramref name="administrator"/> named its administrator.</summary>
    public async Task AddMinistryAsync(string name, string shortName, string slug, string department,
        IReadOnlyList<(string Name, string Email)> agents, string administrator)
    {
        using var admin = await SignInAsync(AdminEmail);
        await CreateMinistryAsync(admin, name, shortName, slug, department);
        await AddAgentsAsync(admin, slug, department, agents);
        var switched = await admin.SubmitAsync($"/admin/m/{slug}/modules", "#module-switches", new Dictionary<string, string> { ["switch:ministry:mail"] = "on" });
        Assert.Contains("Modifications enregistrées", switched.Text);
        var users = await admin.GetAsync($"/admin/m/{slug}/users");
        var row = users.Document.QuerySelectorAll("#users tbody tr").Single(r => r.TextContent.Contains(administrator, StringComparison.Ordinal));
        var appoint = row.QuerySelector("button[name='Roles.Action'][value^='ministry-admin:']")!.GetAttribute("value")!;
        var appointed = await admin.SubmitOnAsync(users, "#user-roles", new Dictionary<string, string>(), submitter: ("Roles.Action", appoint));
        Assert.Equal(HttpStatusCode.OK, appointed.Status);
    }

    /// <summary>Imports agents into an existing ministry's department; each accepts their invitation.</summary>
    public async Task AddAgentsAsync(string slug, string department, IReadOnlyList<(string Name, string Email)> agents)
    {
        using var admin = await SignInAsync(AdminEmail);
        await AddAgentsAsync(admin, slug, department, agents);
    }

    private async Task AddAgentsAsync(PortalClient admin, string slug, string department, IReadOnlyList<(string Name, string Email)> agents)
    {
        await ImportAsync(admin, slug, "nom;courriel;service\r\n" + string.Concat(agents.Select(a => $"{a.Name};{a.Email};{department}\r\n")));
        foreach (var agent in agents)
            await AcceptInvitationAsync(agent.Email);
    }

    private static async Task CreateMinistryAsync(PortalClient admin, string name, string shortName, string slug, string department)
    {
        await admin.SubmitAsync("/admin/ministries", "#create-ministry", new Dictionary<string, string> { ["Form.Name"] = name, ["Form.ShortName"] = shortName, ["Form.Slug"] = slug });
        await admin.SubmitAsync($"/admin/m/{slug}", "#create-department", new Dictionary<string, string> { ["Form.Name"] = department, ["Form.Slug"] = department, ["Form.ParentId"] = "" });
    }

    private static async Task ImportAsync(PortalClient admin, string ministry, string csv)
    {
        var checkedPage = await admin.SubmitAsync($"/admin/m/{ministry}/users", "#import-users", new Dictionary<string, string>(),
            ("ImportForm.Mode", "dry-run"), ("File", "agents.csv", Encoding.UTF8.GetBytes(csv)));
        Assert.Null(checkedPage.Document.QuerySelector("#import-errors"));
        await admin.SubmitOnAsync(checkedPage, "#import-users", new Dictionary<string, string>(), ("ImportForm.Mode", "import"));
    }

    private async Task AcceptInvitationAsync(string email)
    {
        using var client = new PortalClient(Host.BaseUrl);
        var page = await client.SubmitAsync(Outbox.InvitationLinkFor(Host.Outbox, email), "#invitation-form",
            new Dictionary<string, string> { ["Form.Password"] = Password, ["Form.Confirm"] = Password });
        Assert.Equal(HttpStatusCode.OK, page.Status);
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Server.DisposeAsync();
    }
}
