using Microsoft.Playwright;
using Suite.Testing;

namespace Suite.E2E;

/// <summary>One browser and one portal brought, through its own pages, to the state the acceptance scenario ends
/// in: the Interior ministry with dgpn and dgsi, three imported agents, the sample module on for the ministry
/// and off for dgsi. Alice (dgpn) has chosen her password.</summary>
public sealed class SeededPortalFixture : BrowserFixture
{
    private SuiteTestHost? _host;

    public SuiteTestHost Host => _host ?? throw new InvalidOperationException("The portal is not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = await SuiteTestHost.StartAsync();
        await using (var admin = await NewActorAsync(Host.BaseUrl, "administrator"))
        {
            var page = admin.Page;
            await Portal.FirstRunSetupAsync(page);
            await Portal.CreateMinistryAsync(page, Portal.Ministry, "MI", "interieur");
            await Portal.OpenMinistryAsync(page, Portal.Ministry, "interieur");
            await Portal.CreateDepartmentAsync(page, "Police nationale", "dgpn");
            await Portal.CreateDepartmentAsync(page, "Sécurité intérieure", "dgsi");
            await Portal.OpenAdminSectionAsync(page, "Utilisateurs", "/admin/m/interieur/users");
            await Portal.DryRunImportAsync(page, Portal.AgentsCsv);
            await page.GetByRole(AriaRole.Button, new() { Name = "Importer 3 utilisateurs" }).ClickAsync();
            await Assertions.Expect(page.Locator("#import-report")).ToContainTextAsync("3 utilisateurs importés");
            await Portal.OpenAdminSectionAsync(page, "Modules", "/admin/m/interieur/modules");
            await page.GetByLabel("Sample pour Ministère de l'Intérieur").SelectOptionAsync(new SelectOptionValue { Label = "Activé" });
            await page.GetByLabel("Sample pour Sécurité intérieure").SelectOptionAsync(new SelectOptionValue { Label = "Désactivé" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Modifications enregistrées.");
            admin.AssertNoServerErrors();
        }
        await using var alice = await NewActorAsync(Host.BaseUrl, "Alice");
        await Portal.AcceptInvitationAsync(alice.Page, await Portal.InvitationLinkAsync(Host, "alice@interieur.test"), "Alice Martin");
        alice.AssertNoServerErrors();
    }

    public override async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        await base.DisposeAsync();
    }
}
