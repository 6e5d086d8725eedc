using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Suite.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>What a person does on the portal, one step at a time, through labels, roles and visible text —
/// the browser twin of tests/Suite.Platform.Tests/PortalWorld.cs.</summary>
public static partial class Portal
{
    public const string AdminName = "Admin Plateforme";
    public const string AdminEmail = "admin@suite.test";
    public const string Password = "Motdepasse-2026";
    public const string Ministry = "Ministère de l'Intérieur";

    /// <summary>The agents of the import file and the department each belongs to (dora is named by department name).</summary>
    public static readonly (string Name, string Email, string Department)[] Agents =
    [
        ("Alice Martin", "alice@interieur.test", "dgpn"),
        ("Bob Durand", "bob@interieur.test", "dgsi"),
        ("Dora Petit", "dora@interieur.test", "Police nationale"),
    ];

    /// <summary>A spreadsheet export: semicolons, French headers, CRLF, UTF-8 with a byte order mark.</summary>
    public static string AgentsCsv =>
        "nom;courriel;service\r\n" + string.Concat(Agents.Select(a => $"{a.Name};{a.Email};{a.Department}\r\n"));

    public static async Task FirstRunSetupAsync(IPage page)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(PathIs("/setup"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mise en service", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Nom complet").FillAsync(AdminName);
        await page.GetByLabel("Adresse électronique").FillAsync(AdminEmail);
        await page.GetByLabel(PasswordLabel()).FillAsync(Password);
        await page.GetByLabel("Confirmez le mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer l'administrateur" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/admin/ministries"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ministères", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>On the ministries page.</summary>
    public static async Task CreateMinistryAsync(IPage page, string name, string shortName, string slug)
    {
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Sigle").FillAsync(shortName);
        await page.GetByLabel(SlugLabel()).FillAsync(slug);
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer un ministère" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le ministère « {name} » a été créé.");
        await Expect(page.Locator("#ministries")).ToContainTextAsync(name);
    }

    /// <summary>From the ministries page, follows the link to the ministry's departments.</summary>
    public static async Task OpenMinistryAsync(IPage page, string name, string slug)
    {
        await page.Locator("#ministries").GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs($"/admin/m/{slug}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>On a ministry's departments page.</summary>
    public static async Task CreateDepartmentAsync(IPage page, string name, string slug)
    {
        await page.GetByLabel("Nom", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel(SlugLabel()).FillAsync(slug);
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer un service" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Le service « {name} » a été créé.");
        await Expect(page.Locator("#departments")).ToContainTextAsync(name);
    }

    /// <summary>Follows a link of the administration menu.</summary>
    public static async Task OpenAdminSectionAsync(IPage page, string link, string path)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Menu d'administration" })
            .GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs(path));
    }

    /// <summary>Chooses <paramref name="csv"/> (written to a temp file, as saved from a spreadsheet) in the import form
    /// and presses "check the file".</summary>
    public static async Task DryRunImportAsync(IPage page, string csv)
    {
        var folder = Directory.CreateTempSubdirectory("suite-e2e-csv-").FullName;
        try
        {
            var file = Path.Combine(folder, "agents.csv");
            await File.WriteAllTextAsync(file, csv, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            await page.GetByLabel("Fichier CSV (nom, courriel, service)").SetInputFilesAsync(file);
            await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier le fichier (aucun import)" }).ClickAsync();
            await Expect(page.Locator("#import-report")).ToBeVisibleAsync();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The invitation link the portal mailed to <paramref name="email"/> (a path).</summary>
    public static async Task<string> InvitationLinkAsync(SuiteTestHost host, string email)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return Outbox.InvitationLinkFor(host.Outbox, email);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Opens the invitation link and chooses a password.</summary>
    public static async Task AcceptInvitationAsync(IPage page, string link, string name)
    {
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Activer votre compte", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText($"Bienvenue {name}. Choisissez votre mot de passe.")).ToBeVisibleAsync();
        await page.GetByLabel(PasswordLabel()).FillAsync(Password);
        await page.GetByLabel("Confirmez le mot de passe").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer mon mot de passe" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Votre mot de passe est enregistré.");
    }

    /// <summary>Goes to the portal, is sent to the sign-in page, signs in and lands on the home page.</summary>
    public static async Task SignInAsync(IPage page, string email, string name)
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.GetByLabel("Adresse électronique").FillAsync(email);
        await page.GetByLabel("Mot de passe", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(PathIs("/"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Bonjour {name}", Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>Fails when the page is wider than the window (the person would have to scroll sideways).</summary>
    /// <remarks>A mobile browser zooms out to fit a page wider than the screen, which widens the window (innerWidth)
    /// too: so both are compared with the screen's width, not only with each other.</remarks>
    public static async Task AssertFitsWidthAsync(IPage page, string what)
    {
        var (scrollWidth, innerWidth) = await WidthsAsync(page);
        var screen = page.ViewportSize!.Width;
        Assert.True(scrollWidth <= innerWidth && innerWidth <= screen,
            $"{what} scrolls sideways: document is {scrollWidth}px wide, window {innerWidth}px, on a {screen}px screen.");
    }

    public static async Task<(int ScrollWidth, int InnerWidth)> WidthsAsync(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        return (widths[0], widths[1]);
    }

    /// <summary>Matches a URL whose path (no query) is exactly <paramref name="path"/>.</summary>
    public static Regex PathIs(string path) => new("^https?://[^/]+" + Regex.Escape(path) + "$");

    /// <summary>"Mot de passe" followed by the hint, not "Confirmez le mot de passe".</summary>
    [GeneratedRegex("^Mot de passe")]
    public static partial Regex PasswordLabel();

    /// <summary>"Identifiant" followed by its hint.</summary>
    [GeneratedRegex("^Identifiant")]
    private static partial Regex SlugLabel();
}

/// <summary>Times each step of a scenario and saves a full-page screenshot after it.</summary>
public sealed class Journal(string scenario, ITestOutputHelper output)
{
    private readonly Stopwatch _total = Stopwatch.StartNew();
    private int _count;

    public async Task StepAsync(string name, IPage page, Func<Task> action)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            await action();
        }
        catch
        {
            await ShotAsync(page, name + "-FAILED");
            throw;
        }
        var took = watch.Elapsed;
        await ShotAsync(page, name);
        output.WriteLine($"[{scenario}] {name}: {took.TotalMilliseconds:F0} ms");
    }

    public Task ShotAsync(IPage page, string name) => Screenshots.TakeAsync(page, scenario, $"{++_count:00}-{name}");

    public void Note(string text) => output.WriteLine($"[{scenario}] {text}");

    /// <summary>Fails on any server error the actor's browser received; lists the script errors it saw.</summary>
    public void Check(Actor actor)
    {
        actor.AssertNoServerErrors();
        foreach (var error in actor.ScriptErrors.Distinct())
            Note($"script error in {actor.Name}'s browser: {error}");
    }

    public void Done() => output.WriteLine($"[{scenario}] total: {_total.Elapsed.TotalSeconds:F1} s");
}
