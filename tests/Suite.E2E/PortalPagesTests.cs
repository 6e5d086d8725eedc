using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Suite.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>Checks on single pages of a portal already set up (see <see cref="SeededPortalFixture"/>): the import's
/// error report, keyboard use of the sign-in form, and automated accessibility rules.</summary>
public sealed partial class PortalPagesTests(SeededPortalFixture portal, ITestOutputHelper output) : IClassFixture<SeededPortalFixture>
{
    [Fact]
    public async Task A_csv_with_bad_rows_shows_every_bad_row_with_its_line_number_and_imports_nothing()
    {
        var journal = new Journal("bad-csv", output);
        await using var admin = await portal.NewActorAsync(portal.Host.BaseUrl, "administrator");
        var page = admin.Page;
        await Portal.SignInAsync(page, Portal.AdminEmail, Portal.AdminName);
        await page.GotoAsync("/admin/m/interieur/users");
        var csv = "name,email,department\n" +
                  "Eve Good,eve@interieur.test,dgpn\n" +
                  ",nameless@interieur.test,dgpn\n" +
                  "Frank Bad,not-an-email,dgpn\n" +
                  "Gina Nowhere,gina@interieur.test,unknown-department\n" +
                  "Alice Again,alice@interieur.test,dgpn\n" +
                  "Eve Twice,eve@interieur.test,dgsi\n";
        await journal.StepAsync("dry-run-report", page, async () =>
        {
            await Portal.DryRunImportAsync(page, csv);
            await Expect(page.Locator("#import-report")).ToContainTextAsync("Lignes lues : 6. Correctes : 1. En erreur : 5.");
        });

        var rows = page.Locator("#import-errors tbody tr");
        await Expect(rows).ToHaveCountAsync(5);
        (string Line, string Problem, string Value)[] expected =
        [
            ("3", "Nom manquant", ""),
            ("4", "Adresse électronique invalide", "not-an-email"),
            ("5", "Service inconnu", "unknown-department"),
            ("6", "Un compte existe déjà avec cette adresse", "alice@interieur.test"),
            ("7", "Adresse présente deux fois dans le fichier", "eve@interieur.test"),
        ];
        for (var i = 0; i < expected.Length; i++)
        {
            var cells = rows.Nth(i).Locator("td");
            await Expect(cells.Nth(0)).ToHaveTextAsync(expected[i].Line);
            await Expect(cells.Nth(1)).ToContainTextAsync(expected[i].Problem);
            await Expect(cells.Nth(2)).ToContainTextAsync(expected[i].Value);
        }
        // Nothing can be imported as a whole; importing only the good rows is offered, not done.
        await Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = ImportAll() })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Importer seulement la ligne correcte" })).ToBeVisibleAsync();

        await page.GotoAsync("/admin/m/interieur/users");
        await Expect(page.Locator("#users")).ToContainTextAsync("alice@interieur.test");
        foreach (var email in new[] { "eve@interieur.test", "nameless@interieur.test", "gina@interieur.test" })
        {
            await Expect(page.Locator("#users")).Not.ToContainTextAsync(email);
            Assert.Throws<InvalidOperationException>(() => Outbox.InvitationLinkFor(portal.Host.Outbox, email));
        }
        journal.Check(admin);
    }

    [Fact]
    public async Task On_the_sign_in_page_Tab_goes_to_email_then_password_then_the_button_and_Enter_signs_in()
    {
        var journal = new Journal("keyboard-login", output);
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice (keyboard)");
        var page = alice.Page;
        await page.GotoAsync("/account/login");
        var email = page.GetByLabel("Adresse électronique");
        var password = page.GetByLabel("Mot de passe", new() { Exact = true });
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" });

        // From the top of the page (skip links and header come first), Tab until the form starts.
        var stops = new List<string>();
        for (var presses = 0; presses < 12 && !await IsFocusedAsync(email); presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            stops.Add(await FocusedAsync(page));
        }
        Assert.True(await IsFocusedAsync(email), $"Tab never reached the email field; focus went: {string.Join(" → ", stops)}");
        await page.Keyboard.TypeAsync("alice@interieur.test");
        await page.Keyboard.PressAsync("Tab");
        await Expect(password).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(Portal.Password);
        await page.Keyboard.PressAsync("Tab");
        await Expect(submit).ToBeFocusedAsync();
        await journal.ShotAsync(page, "button-focused");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(Portal.PathIs("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bonjour Alice Martin", Level = 1 })).ToBeVisibleAsync();
        journal.Note($"Tab stops before the email field: {string.Join(" → ", stops)}");
        journal.Check(alice);
    }

    [Fact]
    public async Task The_sign_in_home_and_administration_pages_have_no_critical_accessibility_violations()
    {
        var journal = new Journal("axe", output);
        var critical = new List<string>();

        async Task AuditAsync(IPage page, string path)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            var violations = await Axe.AnalyzeAsync(page);
            journal.Note($"{path}: {violations.Count} violation(s)");
            foreach (var violation in violations)
                journal.Note($"{path}: {violation}");
            critical.AddRange(violations.Where(v => v.Impact == "critical").Select(v => $"{path}: {v}"));
        }

        await using (var visitor = await portal.NewActorAsync(portal.Host.BaseUrl, "visitor", bypassCsp: true))
        {
            await AuditAsync(visitor.Page, "/account/login");
            // The harness can see a violation: an image without a text alternative is critical for axe.
            await visitor.Page.EvaluateAsync("() => { const img = document.createElement('img'); img.src = '/favicon.ico'; document.querySelector('main').append(img); }");
            var canary = await Axe.AnalyzeAsync(visitor.Page);
            Assert.Contains(canary, v => v.Id == "image-alt" && v.Impact == "critical");
            visitor.AssertNoServerErrors();
        }
        await using (var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice", bypassCsp: true))
        {
            await Portal.SignInAsync(alice.Page, "alice@interieur.test", "Alice Martin");
            await AuditAsync(alice.Page, "/");
            await Expect(alice.Page.Locator("#tiles li[data-module=sample]")).ToBeVisibleAsync();
            alice.AssertNoServerErrors();
        }
        await using (var admin = await portal.NewActorAsync(portal.Host.BaseUrl, "administrator", bypassCsp: true))
        {
            await Portal.SignInAsync(admin.Page, Portal.AdminEmail, Portal.AdminName);
            foreach (var path in new[] { "/admin", "/admin/ministries", "/admin/m/interieur", "/admin/m/interieur/users", "/admin/m/interieur/modules" })
                await AuditAsync(admin.Page, path);
            admin.AssertNoServerErrors();
        }

        Assert.True(critical.Count == 0, "Critical accessibility violations:\n" + string.Join("\n", critical));
    }

    private static Task<bool> IsFocusedAsync(ILocator locator) => locator.EvaluateAsync<bool>("e => e === document.activeElement");

    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>(
        "() => { const e = document.activeElement; return (e.id ? '#' + e.id : e.tagName.toLowerCase()) + ' ' + (e.textContent || '').trim().split('\\n')[0].slice(0, 30); }");

    [GeneratedRegex(@"^Importer \d+ utilisateurs$")]
    private static partial Regex ImportAll();
}
