using System.Net;
using System.Text;
using Suite.Testing;
using Suite.Testing.Sample;

namespace Suite.Platform.Tests;

/// <summary>The foundation's scenario, run on the embedded SQLite default and on a real PostgreSQL.</summary>
public abstract class PortalScenarioTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : PortalWorld
{
    [Fact]
    public async Task A_member_of_the_enabled_department_sees_the_module_tile_and_reaches_its_page_and_api()
    {
        using var alice = await world.SignInAsync("alice@interieur.test");
        var home = await alice.GetAsync("/");
        Assert.NotNull(home.Document.QuerySelector("#tiles li[data-module=sample]"));
        Assert.NotNull(home.Document.QuerySelector("#sample-widget"));
        Assert.Contains("Ministère de l'Intérieur", home.Text);

        var page = await alice.GetAsync("/sample");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Bonjour", page.Document.QuerySelector("#sample-greeting")!.TextContent);
        using var api = await alice.RawGetAsync("/api/sample/ping");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
    }

    [Fact]
    public async Task A_member_of_a_department_where_the_module_is_off_sees_no_tile_and_is_refused_at_its_urls()
    {
        using var bob = await world.SignInAsync("bob@interieur.test");
        var home = await bob.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.Null(home.Document.QuerySelector("#tiles li[data-module=sample]"));
        Assert.Null(home.Document.QuerySelector("#sample-widget"));

        var page = await bob.GetAsync("/sample");
        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("Accès refusé", page.Text);
        using var api = await bob.RawGetAsync("/api/sample/ping");
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
    }

    [Fact]
    public async Task The_event_handler_of_a_module_runs_only_for_ministries_where_it_is_enabled()
    {
        var log = world.Host.GetRequiredService<PingLog>();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var before = log.Entries.Count;
        using (var response = await alice.RawGetAsync("/api/sample/ping"))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, log.Entries.Count);
        Assert.NotNull(log.Entries[^1].Tenant);

        using var carla = await world.SignInAsync("carla@culture.test");
        using var refused = await carla.RawGetAsync("/api/sample/ping");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(before + 1, log.Entries.Count);
    }

    [Fact]
    public async Task Setup_is_closed_once_the_platform_administrator_exists()
    {
        using var stranger = new PortalClient(world.Host.BaseUrl);
        var setup = await stranger.GetAsync("/setup");
        Assert.Equal("/account/login", setup.Path);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong()
    {
        using var client = new PortalClient(world.Host.BaseUrl);
        var page = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string>
        {
            ["Form.Email"] = "alice@interieur.test", ["Form.Password"] = "not-the-password",
        });
        Assert.Equal("/account/login", page.Path);
        Assert.Contains("Adresse ou mot de passe incorrect", page.Text);
    }

    [Fact]
    public async Task A_csv_with_bad_rows_imports_nothing_and_lists_every_bad_row_with_its_line()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var csv = "name,email,department\n" +
                  "Eve Good,eve@interieur.test,dgpn\n" +
                  ",nameless@interieur.test,dgpn\n" +
                  "Frank Bad,not-an-email,dgpn\n" +
                  "Gina Nowhere,gina@interieur.test,unknown-department\n" +
                  "Alice Again,alice@interieur.test,dgpn\n" +
                  "Eve Twice,eve@interieur.test,dgsi\n";
        var report = await PortalWorld.ImportAsync(admin, "interieur", csv, expectSuccess: false);
        var lines = report.Document.QuerySelectorAll("#import-errors tbody tr").Select(r => r.QuerySelector("td")!.TextContent).ToList();
        Assert.Equal(["3", "4", "5", "6", "7"], lines);

        var users = await admin.GetAsync("/admin/m/interieur/users");
        Assert.DoesNotContain("eve@interieur.test", users.Document.QuerySelector("#users")!.TextContent);

        var goodOnly = await admin.SubmitOnAsync(report, "#import-users", new Dictionary<string, string>(), ("ImportForm.Mode", "import-good"));
        Assert.Contains("1 utilisateur importé ; il a reçu une invitation.", goodOnly.Text);
        users = await admin.GetAsync("/admin/m/interieur/users");
        Assert.Contains("eve@interieur.test", users.Document.QuerySelector("#users")!.TextContent);
    }

    [Fact]
    public async Task Duplicate_slugs_and_invalid_fields_are_refused_with_field_level_messages()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var page = await admin.SubmitAsync("/admin/ministries", "#create-ministry", new Dictionary<string, string>
        {
            ["Form.Name"] = "Doublon", ["Form.ShortName"] = "D", ["Form.Slug"] = "interieur",
        });
        Assert.Contains("déjà utilisé", page.Document.QuerySelector("#ministry-slug-error")!.TextContent);
        page = await admin.SubmitAsync("/admin/ministries", "#create-ministry", new Dictionary<string, string>
        {
            ["Form.Name"] = "", ["Form.ShortName"] = "X", ["Form.Slug"] = "Not A Slug!",
        });
        Assert.NotNull(page.Document.QuerySelector("#ministry-name-error"));
        Assert.NotNull(page.Document.QuerySelector("#ministry-slug-error"));
        Assert.Equal("Not A Slug!", page.Document.QuerySelector("#ministry-slug")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Deleting_a_department_that_still_has_members_is_refused_with_the_reason()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var page = await admin.GetAsync("/admin/m/interieur");
        var button = page.Document.QuerySelectorAll("#departments button[name='Delete.Id']")
            .First(b => b.GetAttribute("aria-label")!.Contains("Police nationale", StringComparison.Ordinal));
        var refused = await admin.SubmitOnAsync(page, "form:has(#departments)", new Dictionary<string, string>(), ("Delete.Id", button.GetAttribute("value")!));
        Assert.Contains("encore des membres", refused.Text);
        Assert.Contains("Police nationale", refused.Document.QuerySelector("#departments")!.TextContent);

        await PortalWorld.CreateDepartmentAsync(admin, "interieur", "Service éphémère", "ephemere");
        page = await admin.GetAsync("/admin/m/interieur");
        button = page.Document.QuerySelectorAll("#departments button[name='Delete.Id']")
            .First(b => b.GetAttribute("aria-label")!.Contains("éphémère", StringComparison.Ordinal));
        var deleted = await admin.SubmitOnAsync(page, "form:has(#departments)", new Dictionary<string, string>(), ("Delete.Id", button.GetAttribute("value")!));
        Assert.DoesNotContain("éphémère", deleted.Document.QuerySelector("#departments")!.TextContent);
    }

    [Fact]
    public async Task Settings_inherit_from_ministry_to_department_and_secrets_are_never_shown_back()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var saved = await admin.SubmitAsync("/admin/m/interieur/settings", "#settings-form", new Dictionary<string, string>
        {
            ["setting:sample.greeting"] = "Salut la police",
        });
        Assert.Contains("Modifications enregistrées", saved.Text);
        using (var alice = await world.SignInAsync("alice@interieur.test"))
            Assert.Equal("Salut la police", (await alice.GetAsync("/sample")).Document.QuerySelector("#sample-greeting")!.TextContent);
        var cleared = await admin.SubmitAsync("/admin/m/interieur/settings", "#settings-form", new Dictionary<string, string> { ["setting:sample.greeting"] = "" });
        Assert.Contains("Modifications enregistrées", cleared.Text);
        using (var alice = await world.SignInAsync("alice@interieur.test"))
            Assert.Equal("Bonjour", (await alice.GetAsync("/sample")).Document.QuerySelector("#sample-greeting")!.TextContent);

        var invalid = await admin.SubmitAsync("/admin/m/interieur/settings", "#settings-form", new Dictionary<string, string>
        {
            ["setting:platform.invitation-days"] = "500", ["setting:sample.greeting"] = "Ignored because the form is invalid",
        });
        Assert.Contains("rien n'a été enregistré", invalid.Text);
        Assert.NotNull(invalid.Document.QuerySelector("#setting-platform-invitation-days-error"));

        var secret = await admin.SubmitAsync("/admin/settings", "#settings-form", new Dictionary<string, string> { ["setting:platform.smtp-password"] = "tres-secret-42" });
        Assert.Contains("Modifications enregistrées", secret.Text);
        Assert.DoesNotContain("tres-secret-42", secret.Html);
        var audit = await admin.GetAsync("/admin/audit");
        Assert.Contains("platform.smtp-password", audit.Text);
        Assert.DoesNotContain("tres-secret-42", audit.Html);
    }

    [Fact]
    public async Task Every_administrative_change_is_in_the_audit_log_with_who_and_before_after()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var audit = await admin.GetAsync("/admin/audit");
        var text = audit.Document.QuerySelector("#audit")!.TextContent;
        foreach (var action in new[] { "ministry.created", "department.created", "users.imported", "module.switched", "user.ministry-administrator" })
            Assert.Contains(action, text);
        Assert.Contains("Admin Plateforme", text);
    }

    [Fact]
    public async Task A_forgotten_password_is_reset_through_a_single_use_emailed_link()
    {
        using var client = new PortalClient(world.Host.BaseUrl);
        var unknown = await client.SubmitAsync("/account/forgot", "#forgot-form", new Dictionary<string, string> { ["Form.Email"] = "nobody@nowhere.test" });
        var known = await client.SubmitAsync("/account/forgot", "#forgot-form", new Dictionary<string, string> { ["Form.Email"] = "dora@interieur.test" });
        Assert.Equal(unknown.Document.QuerySelector("main")!.TextContent, known.Document.QuerySelector("main")!.TextContent);

        var link = Outbox.LinkFor(world.Host.Outbox, "dora@interieur.test", "/account/reset?");
        const string newPassword = "Nouveau-Secret-2026";
        var done = await client.SubmitAsync(link, "#reset-form", new Dictionary<string, string> { ["Form.Password"] = newPassword, ["Form.Confirm"] = newPassword });
        Assert.Contains("mot de passe a été changé", done.Text);
        var reused = await client.SubmitAsync(link, "#reset-form", new Dictionary<string, string> { ["Form.Password"] = "Encore-Autre-2026", ["Form.Confirm"] = "Encore-Autre-2026" });
        Assert.Contains("déjà servi", reused.Text);

        var signedIn = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string> { ["Form.Email"] = "dora@interieur.test", ["Form.Password"] = newPassword });
        Assert.Equal("/", signedIn.Path);
        // Put the shared world back as it was for the other tests.
        using var again = new PortalClient(world.Host.BaseUrl);
        await again.SubmitAsync("/account/forgot", "#forgot-form", new Dictionary<string, string> { ["Form.Email"] = "dora@interieur.test" });
        var restore = Outbox.LinkFor(world.Host.Outbox, "dora@interieur.test", "/account/reset?");
        Assert.Contains("mot de passe a été changé", (await again.SubmitAsync(restore, "#reset-form", new Dictionary<string, string> { ["Form.Password"] = PortalWorld.Password, ["Form.Confirm"] = PortalWorld.Password })).Text);
    }

    [Fact]
    public async Task Two_factor_authentication_asks_for_the_app_code_at_sign_in_once_enabled()
    {
        using (var bob = await world.SignInAsync("bob@interieur.test"))
        {
            var security = await bob.GetAsync("/account/security");
            var key = security.Document.QuerySelector("#authenticator-key")!.TextContent;
            var wrong = await bob.SubmitOnAsync(security, "#enable-2fa", new Dictionary<string, string> { ["Form.Code"] = "000000" });
            Assert.NotNull(wrong.Document.QuerySelector("#two-factor-code-error"));
            var enabled = await bob.SubmitOnAsync(wrong, "#enable-2fa", new Dictionary<string, string> { ["Form.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            Assert.Contains("Double authentification activée", enabled.Text);

            using var client = new PortalClient(world.Host.BaseUrl);
            var second = await client.SubmitAsync("/account/login", "#login-form", new Dictionary<string, string> { ["Form.Email"] = "bob@interieur.test", ["Form.Password"] = PortalWorld.Password });
            Assert.StartsWith("/account/login-2fa", second.Path);
            var refused = await client.SubmitOnAsync(second, "#login-2fa-form", new Dictionary<string, string> { ["Form.Code"] = "123456" == Totp.Code(key, DateTimeOffset.UtcNow) ? "654321" : "123456" });
            Assert.Contains("Code incorrect", refused.Text);
            var home = await client.SubmitOnAsync(refused, "#login-2fa-form", new Dictionary<string, string> { ["Form.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
            Assert.Equal("/", home.Path);

            // Back to password-only for the other tests of this shared world.
            var disabled = await bob.SubmitAsync("/account/security", "#disable-2fa", new Dictionary<string, string>());
            Assert.Contains("Double authentification désactivée", disabled.Text);
        }
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        using var client = new PortalClient(world.Host.BaseUrl);
        using var response = await client.RawGetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_are_served_with_a_strict_content_security_policy()
    {
        using var client = new PortalClient(world.Host.BaseUrl);
        using var response = await client.RawGetAsync("/account/login");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
    }
}

public sealed class Portal_on_sqlite(SqliteWorld world) : PortalScenarioTests<SqliteWorld>(world);

public sealed class Portal_on_postgresql(PostgresWorld world) : PortalScenarioTests<PostgresWorld>(world);

/// <summary>RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits), computed independently of ASP.NET Identity.</summary>
internal static class Totp
{
    public static string Code(string base32Key, DateTimeOffset at)
    {
        var key = Base32(base32Key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());
        var counter = at.ToUnixTimeSeconds() / 30;
        var message = BitConverter.GetBytes(counter);
        if (BitConverter.IsLittleEndian) Array.Reverse(message);
        var hash = System.Security.Cryptography.HMACSHA1.HashData(key, message);
        var offset = hash[^1] & 0x0f;
        var binary = ((hash[offset] & 0x7f) << 24) | (hash[offset + 1] << 16) | (hash[offset + 2] << 8) | hash[offset + 3];
        return (binary % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32(string text)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in text.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8) { bytes.Add((byte)(buffer >> (bits - 8))); bits -= 8; }
        }
        return [.. bytes];
    }
}
