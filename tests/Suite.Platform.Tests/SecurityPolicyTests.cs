using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>Installation and ministry policies that change what a signed-in person may reach or see.</summary>
public sealed class SecurityPolicyTests
{
    private const string AdminEmail = "admin@suite.test";
    private const string Password = "Motdepasse-2026";

    [Fact]
    public async Task Where_two_factor_is_required_a_user_without_it_reaches_only_the_page_that_sets_it_up()
    {
        await using var host = await SuiteTestHost.StartAsync(settings: new Dictionary<string, string?> { ["Suite:Settings:platform.require-two-factor"] = "true" });
        using var admin = new PortalClient(host.BaseUrl);
        var afterSetup = await SetUpAsync(admin);
        Assert.StartsWith("/account/security", afterSetup.Path);
        Assert.Contains("Votre organisation exige une double authentification", afterSetup.Text);

        var admin403 = await admin.GetAsync("/admin/ministries");
        Assert.StartsWith("/account/security", admin403.Path);

        var key = admin403.Document.QuerySelector("#authenticator-key")!.TextContent;
        var enabled = await admin.SubmitOnAsync(admin403, "#enable-2fa", new Dictionary<string, string> { ["Form.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Contains("Double authentification activée", enabled.Text);
        Assert.Null(enabled.Document.QuerySelector("#disable-2fa"));
        Assert.NotNull(enabled.Document.QuerySelector("#two-factor-required"));

        var ministries = await admin.GetAsync("/admin/ministries");
        Assert.Equal(HttpStatusCode.OK, ministries.Status);
        Assert.Equal("/admin/ministries", ministries.Path);
    }

    [Fact]
    public async Task A_theme_that_allows_it_takes_the_ministry_colour_from_a_stylesheet_not_an_inline_style()
    {
        await using var host = await SuiteTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Suite:Settings:platform.theme"] = "neutral",
            ["Suite:Settings:platform.branding-colour"] = "#7A1FA2",
        });
        using var visitor = new PortalClient(host.BaseUrl);
        var login = await visitor.GetAsync("/account/login");
        var link = login.Document.QuerySelectorAll("link[rel=stylesheet]").Select(l => l.GetAttribute("href")).Single(h => h!.StartsWith("/branding.css", StringComparison.Ordinal));
        Assert.Equal("/branding.css?c=7A1FA2", link);
        Assert.Null(login.Document.QuerySelector("[style]"));

        using var css = await visitor.RawGetAsync(link!);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        var text = await css.Content.ReadAsStringAsync();
        Assert.Contains("--suite-primary: #7a1fa2;", text);
        Assert.Contains("--suite-on-primary: #ffffff;", text);

        using var light = await visitor.RawGetAsync("/branding.css?c=ffe066");
        Assert.Contains("--suite-on-primary: #161616;", await light.Content.ReadAsStringAsync());
        foreach (var hostile in new[] { "/branding.css?c=red", "/branding.css?c=7a1fa2;}body{display:none", "/branding.css" })
        {
            using var refused = await visitor.RawGetAsync(hostile);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }
    }

    [Fact]
    public async Task The_state_design_system_keeps_its_colours_and_a_malformed_colour_is_refused_with_a_message()
    {
        await using var host = await SuiteTestHost.StartAsync();
        using var admin = new PortalClient(host.BaseUrl);
        await SetUpAsync(admin);
        var refused = await admin.SubmitAsync("/admin/settings", "#settings-form", new Dictionary<string, string> { ["setting:platform.branding-colour"] = "red" });
        Assert.Contains("Saisissez une couleur au format #rrggbb", refused.Text);
        var saved = await admin.SubmitAsync("/admin/settings", "#settings-form", new Dictionary<string, string> { ["setting:platform.branding-colour"] = "#7a1fa2" });
        Assert.Contains("Modifications enregistrées", saved.Text);
        var home = await admin.GetAsync("/admin");
        Assert.DoesNotContain("/branding.css", home.Html);
    }

    [Fact]
    public async Task With_a_certificate_configured_the_data_protection_key_ring_is_encrypted_at_rest()
    {
        var folder = Directory.CreateTempSubdirectory("suite-dp-").FullName;
        try
        {
            using var key = System.Security.Cryptography.RSA.Create(2048);
            var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=Suite key ring", key,
                System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var path = Path.Combine(folder, "keyring.pfx");
            await File.WriteAllBytesAsync(path, certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "pfx-password"));

            await using var host = await SuiteTestHost.StartAsync(settings: new Dictionary<string, string?>
            {
                ["Suite:DataProtection:CertificatePath"] = path, ["Suite:DataProtection:CertificatePassword"] = "pfx-password",
            });
            using var admin = new PortalClient(host.BaseUrl);
            await SetUpAsync(admin);
            var saved = await admin.SubmitAsync("/admin/settings", "#settings-form", new Dictionary<string, string> { ["setting:platform.smtp-password"] = "tres-secret-42" });
            Assert.Contains("Modifications enregistrées", saved.Text);

            await using var scope = host.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Data.PlatformDbContext>>().CreateDbContextAsync();
            var ring = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.DataProtectionKeys);
            Assert.NotEmpty(ring);
            Assert.All(ring, k =>
            {
                Assert.Contains("EncryptedData", k.Xml);
                Assert.DoesNotContain("<masterKey", k.Xml.Split("EncryptedData")[0]);
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<PortalClient.Page> SetUpAsync(PortalClient admin)
    {
        var setup = await admin.GetAsync("/");
        Assert.Equal("/setup", setup.Path);
        return await admin.SubmitOnAsync(setup, "#setup-form", new Dictionary<string, string>
        {
            ["Form.DisplayName"] = "Admin Plateforme", ["Form.Email"] = AdminEmail, ["Form.Password"] = Password, ["Form.Confirm"] = Password,
        });
    }
}
