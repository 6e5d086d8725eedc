using System.Net;
using System.Text;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>One portal per database provider, brought to a known state only through its own pages, as an
/// administrator would: first-run setup, two ministries, departments, a CSV import, module switches, roles.</summary>
public abstract class PortalWorld : IAsyncLifetime
{
    public const string AdminEmail = "admin@suite.test";
    public const string Password = "Motdepasse-2026";

    public SuiteTestHost Host { get; private set; } = default!;

    protected abstract Task<string?> DatabaseAsync();

    public async Task InitializeAsync()
    {
        Host = await SuiteTestHost.StartAsync(await DatabaseAsync(), new Dictionary<string, string?>
        {
            ["Sample:HeartbeatInterval"] = "00:00:01",
            // The embedded SFU of each test portal takes any free loopback port (several portals run at once).
            ["Meetings:Media:Port"] = "0",
            ["Meetings:Media:BindAddress"] = "127.0.0.1",
        });
        using var admin = new PortalClient(Host.BaseUrl);
        var setup = await admin.GetAsync("/");
        Assert.True(setup.Path == "/setup", $"First visit ended on {setup.Path} ({setup.Status}): {setup.Text}");
        var done = await admin.SubmitOnAsync(setup, "#setup-form", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Admin Plateforme", ["Form.Email"] = AdminEmail, ["Form.Password"] = Password, ["Form.Confirm"] = Password,
        });
        Assert.True(done.Path == "/admin/ministries", $"Setup ended on {done.Path} ({done.Status}): {done.Text}");

        await CreateMinistryAsync(admin, "Ministère de l'Intérieur", "MI", "interieur");
        await CreateMinistryAsync(admin, "Ministère de la Culture", "MC", "culture");
        await CreateDepartmentAsync(admin, "interieur", "Police nationale", "dgpn");
        await CreateDepartmentAsync(admin, "interieur", "Sécurité intérieure", "dgsi");
        await CreateDepartmentAsync(admin, "culture", "Patrimoine", "patrimoine");

        await ImportAsync(admin, "interieur", "nom;courriel;service\r\nAlice Martin;alice@interieur.test;dgpn\r\nBob Durand;bob@interieur.test;dgsi\r\nDora Petit;dora@interieur.test;Police nationale\r\n");
        await ImportAsync(admin, "culture", "name,email,department\nCarla Roux,carla@culture.test,patrimoine\n");
        foreach (var email in new[] { "alice@interieur.test", "bob@interieur.test", "dora@interieur.test", "carla@culture.test" })
            await AcceptInvitationAsync(email);

        // The sample module: on for the Interior ministry, switched off for one of its departments.
        var modules = await admin.SubmitAsync("/admin/m/interieur/modules", "#module-switches", new Dictionary<string, string> { ["switch:ministry:sample"] = "on" });
        Assert.Equal(HttpStatusCode.OK, modules.Status);
        var fields = new Dictionary<string, string> { ["switch:ministry:sample"] = "on", [DepartmentSwitch(modules, "sample", "dgsi")] = "off" };
        var switched = await admin.SubmitOnAsync(modules, "#module-switches", fields);
        Assert.Contains("Modifications enregistrées", switched.Text);

        await SetRoleAsync(admin, "culture", "carla@culture.test", "ministry-admin");
        await SetRoleAsync(admin, "interieur", "dora@interieur.test", "department-admin");
    }

    public async Task<PortalClient> SignInAsync(string email)
    {
        var client = new PortalClient(Host.BaseUrl);
        var home = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string> { ["Form.Email"] = email, ["Form.Password"] = Password });
        Assert.True(home.Path == "/", $"Sign-in of {email} ended on {home.Path}: {home.Text[..Math.Min(300, home.Text.Length)]}");
        return client;
    }

    public static async Task CreateMinistryAsync(PortalClient admin, string name, string shortName, string slug)
    {
        var page = await admin.SubmitAsync("/admin/ministries", "#create-ministry", new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.ShortName"] = shortName, ["Form.Slug"] = slug,
        });
        Assert.Contains(name, page.Document.QuerySelector("#ministries")!.TextContent);
    }

    public static async Task CreateDepartmentAsync(PortalClient admin, string ministry, string name, string slug)
    {
        var page = await admin.SubmitAsync($"/admin/m/{ministry}", "#create-department", new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.Slug"] = slug, ["Form.ParentId"] = "",
        });
        Assert.Contains(name, page.Document.QuerySelector("#departments")?.TextContent ?? page.Text);
    }

    public static async Task<PortalClient.Page> ImportAsync(PortalClient admin, string ministry, string csv, bool expectSuccess = true)
    {
        var checkedPage = await admin.SubmitAsync($"/admin/m/{ministry}/users", "#import-users", new Dictionary<string, string>(),
            ("ImportForm.Mode", "dry-run"), ("File", "agents.csv", Encoding.UTF8.GetBytes(csv)));
        if (!expectSuccess)
            return checkedPage;
        Assert.Null(checkedPage.Document.QuerySelector("#import-errors"));
        var imported = await admin.SubmitOnAsync(checkedPage, "#import-users", new Dictionary<string, string>(), ("ImportForm.Mode", "import"));
        Assert.Matches("utilisateurs? importés?", imported.Document.QuerySelector("#import-report")!.TextContent);
        return imported;
    }

    public async Task AcceptInvitationAsync(string email)
    {
        using var client = new PortalClient(Host.BaseUrl);
        var link = Outbox.InvitationLinkFor(Host.Outbox, email);
        var page = await client.SubmitAsync(link, "#invitation-form", new Dictionary<string, string> { ["Form.Password"] = Password, ["Form.Confirm"] = Password });
        Assert.Contains("mot de passe est enregistré", page.Text);
    }

    public static async Task SetRoleAsync(PortalClient admin, string ministry, string email, string role)
    {
        var page = await admin.GetAsync($"/admin/m/{ministry}/users");
        var button = page.Document.QuerySelectorAll($"td[data-user='{email}'] button")
            .First(b => b.GetAttribute("value")!.StartsWith(role + ":", StringComparison.Ordinal) && b.GetAttribute("value")!.EndsWith(":True", StringComparison.Ordinal));
        var done = await admin.SubmitOnAsync(page, "#user-roles", new Dictionary<string, string>(), ("Roles.Action", button.GetAttribute("value")!));
        Assert.Contains("Modifications enregistrées", done.Text);
    }

    /// <summary>The form field of one department's switch for one module on the modules page.</summary>
    public static string DepartmentSwitch(PortalClient.Page modules, string module, string department) =>
        modules.Document.QuerySelector($"tr[data-module={module}] span[data-department={department}]")!.ParentElement!.QuerySelector("select")!.GetAttribute("name")!;

    public virtual async Task DisposeAsync() => await Host.DisposeAsync();
}

public sealed class SqliteWorld : PortalWorld
{
    protected override Task<string?> DatabaseAsync() => Task.FromResult<string?>(null);
}

public sealed class PostgresWorld : PortalWorld
{
    private PostgresServer? _server;

    protected override async Task<string?> DatabaseAsync()
    {
        _server = await PostgresServer.StartAsync(CancellationToken.None);
        return await _server.CreateDatabaseAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
