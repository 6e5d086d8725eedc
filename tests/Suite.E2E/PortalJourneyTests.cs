using Microsoft.Playwright;
using Suite.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>The foundation's acceptance scenario in a real browser, from an empty installation, on a desktop window
/// and on a phone-sized one: every person uses their own browser context, as on their own device.</summary>
public sealed class PortalJourneyTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task An_administrator_sets_up_a_ministry_and_each_agent_reaches_exactly_the_modules_of_their_department(string device)
    {
        var viewport = device == "phone" ? BrowserFixture.Phone : BrowserFixture.Desktop;
        var journal = new Journal($"journey-{device}", output);
        await using var host = await SuiteTestHost.StartAsync();

        await using (var admin = await browser.NewActorAsync(host.BaseUrl, "administrator", viewport))
        {
            var page = admin.Page;
            await journal.StepAsync("setup", page, () => Portal.FirstRunSetupAsync(page));
            await journal.StepAsync("ministry-created", page, () => Portal.CreateMinistryAsync(page, Portal.Ministry, "MI", "interieur"));
            await journal.StepAsync("departments-created", page, async () =>
            {
                await Portal.OpenMinistryAsync(page, Portal.Ministry, "interieur");
                await Portal.CreateDepartmentAsync(page, "Police nationale", "dgpn");
                await Portal.CreateDepartmentAsync(page, "Sécurité intérieure", "dgsi");
            });

            await journal.StepAsync("import-dry-run", page, async () =>
            {
                await Portal.OpenAdminSectionAsync(page, "Utilisateurs", "/admin/m/interieur/users");
                await Portal.DryRunImportAsync(page, Portal.AgentsCsv);
                await Expect(page.Locator("#import-report")).ToContainTextAsync("Lignes lues : 3. Correctes : 3. En erreur : 0.");
                await Expect(page.Locator("#import-errors")).ToHaveCountAsync(0);
                // A dry run creates nobody and mails nobody.
                await Expect(page.GetByText("alice@interieur.test")).ToHaveCountAsync(0);
                Assert.Empty(Directory.Exists(host.Outbox) ? Directory.GetFiles(host.Outbox) : []);
            });
            await journal.StepAsync("import-confirmed", page, async () =>
            {
                await page.GetByRole(AriaRole.Button, new() { Name = "Importer 3 utilisateurs" }).ClickAsync();
                await Expect(page.Locator("#import-report")).ToContainTextAsync("3 utilisateurs importés ; chacun a reçu une invitation.");
                foreach (var agent in Portal.Agents)
                {
                    var row = page.Locator("#users tbody tr").Filter(new() { HasText = agent.Email });
                    await Expect(row).ToContainTextAsync(agent.Name);
                    await Expect(row).ToContainTextAsync("Invité");
                }
            });

            await journal.StepAsync("modules-switched", page, async () =>
            {
                await Portal.OpenAdminSectionAsync(page, "Modules", "/admin/m/interieur/modules");
                await page.GetByLabel("Sample pour Ministère de l'Intérieur").SelectOptionAsync(new SelectOptionValue { Label = "Activé" });
                await page.GetByLabel("Sample pour Sécurité intérieure").SelectOptionAsync(new SelectOptionValue { Label = "Désactivé" });
                await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
                await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Modifications enregistrées.");
                var sample = page.Locator("#module-switches tr[data-module=sample]");
                await Expect(sample.Locator("span[data-department=dgpn]")).ToHaveTextAsync("Activé");
                await Expect(sample.Locator("span[data-department=dgsi]")).ToHaveTextAsync("Désactivé");
                // The labelled select is the one in dgsi's cell, and it kept the choice.
                await Expect(sample.Locator("td:has(span[data-department=dgsi]) select")).ToHaveValueAsync("off");
                await Expect(sample.Locator("td:has(span[data-department=dgpn]) select")).ToHaveValueAsync("");
            });
            await NoteWidthAsync(journal, page, "modules page");
            journal.Check(admin);
        }

        foreach (var (name, email, _) in Portal.Agents)
        {
            var link = await Portal.InvitationLinkAsync(host, email);
            await using var agent = await browser.NewActorAsync(host.BaseUrl, name, viewport);
            await journal.StepAsync($"invitation-accepted-{email.Split('@')[0]}", agent.Page, () => Portal.AcceptInvitationAsync(agent.Page, link, name));
            journal.Check(agent);
        }

        await using (var alice = await browser.NewActorAsync(host.BaseUrl, "Alice (dgpn)", viewport))
        {
            var page = alice.Page;
            await page.GotoAsync("/");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
            await Portal.AssertFitsWidthAsync(page, $"The login page ({device})");
            await journal.ShotAsync(page, "login");
            await journal.StepAsync("alice-home", page, async () =>
            {
                await Portal.SignInAsync(page, "alice@interieur.test", "Alice Martin");
                await Expect(page.Locator("#tiles li[data-module=sample]")).ToBeVisibleAsync();
            });
            await Portal.AssertFitsWidthAsync(page, $"Alice's home page ({device})");
            await journal.StepAsync("alice-sample", page, async () =>
            {
                await page.Locator("#tiles li[data-module=sample]").GetByRole(AriaRole.Link, new() { Name = "Sample" }).ClickAsync();
                await Expect(page).ToHaveURLAsync(Portal.PathIs("/sample"));
                await Expect(page.Locator("#sample-title")).ToHaveTextAsync("Sample");
                await Expect(page.Locator("#sample-greeting")).ToHaveTextAsync("Bonjour");
            });
            journal.Check(alice);
        }

        await using (var bob = await browser.NewActorAsync(host.BaseUrl, "Bob (dgsi)", viewport))
        {
            var page = bob.Page;
            await journal.StepAsync("bob-home", page, async () =>
            {
                await Portal.SignInAsync(page, "bob@interieur.test", "Bob Durand");
                await Expect(page.Locator("#tiles li[data-module=sample]")).ToHaveCountAsync(0);
                await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sample" })).ToHaveCountAsync(0);
                await Expect(page.GetByText("Aucune application n'est encore activée pour votre service.")).ToBeVisibleAsync();
            });
            await Portal.AssertFitsWidthAsync(page, $"Bob's home page ({device})");
            await journal.StepAsync("bob-sample-denied", page, async () =>
            {
                var response = await page.GotoAsync("/sample");
                Assert.NotNull(response);
                Assert.Equal(403, response.Status);
                await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Accès refusé", Level = 1 })).ToBeVisibleAsync();
                await Expect(page.Locator("#sample-title")).ToHaveCountAsync(0);
            });
            journal.Check(bob);
        }
        journal.Done();
    }

    private static async Task NoteWidthAsync(Journal journal, IPage page, string what)
    {
        var (scrollWidth, innerWidth) = await Portal.WidthsAsync(page);
        journal.Note($"{what}: document {scrollWidth}px wide in a {innerWidth}px window");
    }
}
