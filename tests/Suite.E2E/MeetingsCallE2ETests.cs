using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;
using Suite.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>A portal whose embedded SFU listens on a free loopback port, with Visio switched on for the Interior
/// ministry (agents Alice, Bob, Dora) and the Culture ministry (Carla), everyone having chosen their password. Shared by
/// the Visio browser test classes (one portal, one browser for all of them).</summary>
public sealed class MeetingsPortalFixture : BrowserFixture
{
    public const string CultureMinistry = "Ministère de la Culture";

    private SuiteTestHost? _host;

    public SuiteTestHost Host => _host ?? throw new InvalidOperationException("The portal is not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _host = await SuiteTestHost.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Meetings:Media:Port"] = "0",
            ["Meetings:Media:BindAddress"] = "127.0.0.1",
        });
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
            await Expect(page.Locator("#import-report")).ToContainTextAsync("3 utilisateurs importés");
            await Portal.OpenAdminSectionAsync(page, "Modules", "/admin/m/interieur/modules");
            await page.GetByLabel("Visio pour Ministère de l'Intérieur").SelectOptionAsync(new SelectOptionValue { Label = "Activé" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Modifications enregistrées.");

            await page.GotoAsync("/admin/ministries");
            await Portal.CreateMinistryAsync(page, CultureMinistry, "MC", "culture");
            await Portal.OpenMinistryAsync(page, CultureMinistry, "culture");
            await Portal.CreateDepartmentAsync(page, "Patrimoine", "patrimoine");
            await Portal.OpenAdminSectionAsync(page, "Utilisateurs", "/admin/m/culture/users");
            await Portal.DryRunImportAsync(page, "nom;courriel;service\r\nCarla Roux;carla@culture.test;patrimoine\r\n");
            await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Importer 1 utilisateur") }).ClickAsync();
            await Expect(page.Locator("#import-report")).ToContainTextAsync("1 utilisateur importé");
            await Portal.OpenAdminSectionAsync(page, "Modules", "/admin/m/culture/modules");
            await page.GetByLabel($"Visio pour {CultureMinistry}").SelectOptionAsync(new SelectOptionValue { Label = "Activé" });
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Modifications enregistrées.");
            admin.AssertNoServerErrors();
        }
        foreach (var (name, email) in new[]
        {
            ("Alice Martin", "alice@interieur.test"), ("Bob Durand", "bob@interieur.test"), ("Dora Petit", "dora@interieur.test"), ("Carla Roux", "carla@culture.test"),
        })
        {
            await using var agent = await NewActorAsync(Host.BaseUrl, name);
            await Portal.AcceptInvitationAsync(agent.Page, await Portal.InvitationLinkAsync(Host, email), name);
        }
    }

    public override async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        await base.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class MeetingsCollection : ICollectionFixture<MeetingsPortalFixture>
{
    public const string Name = "meetings-portal";
}

/// <summary>Issue 4's acceptance scenario in three browsers with fake camera and microphone: Alice creates a trusted
/// room, Bob (same ministry) enters directly, Chloé (a guest) waits until Alice admits her; everyone receives everyone's
/// video and audio; Alice shares her screen; Chloé raises her hand; Alice mutes and then removes Chloé.</summary>
[Collection(MeetingsCollection.Name)]
public sealed class MeetingsCallE2ETests(MeetingsPortalFixture portal, ITestOutputHelper output)
{
    private const string Guest = "Chloé Invitée";

    [Fact]
    public async Task Three_people_meet_share_a_screen_raise_a_hand_and_the_owner_mutes_and_removes_the_guest()
    {
        var journal = new Journal("meetings-call", output);
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        await using var bob = await portal.NewActorAsync(portal.Host.BaseUrl, "Bob");
        await using var chloe = await portal.NewActorAsync(portal.Host.BaseUrl, "Chloé (invitée)");
        var a = alice.Page;
        var b = bob.Page;
        var c = chloe.Page;

        await Portal.SignInAsync(a, "alice@interieur.test", "Alice Martin");
        await a.GotoAsync("/meetings");
        await a.GetByLabel("Nom de la salle").FillAsync("Réunion de service");
        await a.Locator("#room-access").SelectOptionAsync("trusted");
        await a.GetByRole(AriaRole.Button, new() { Name = "Créer une salle", Exact = true }).ClickAsync();
        await Expect(a).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/meetings/[a-z]{3}-[a-z]{4}-[a-z]{3}$"));
        var code = new Uri(a.Url).AbsolutePath["/meetings/".Length..];

        await Expect(a.Locator("#prejoin-preview")).ToBeVisibleAsync();
        await Expect(a.GetByLabel("Micro", new() { Exact = true })).ToBeVisibleAsync();
        await WaitForAsync(() => a.EvaluateAsync<bool>("() => document.querySelector('#prejoin-preview').videoWidth > 0"), "Alice's camera preview");
        await journal.ShotAsync(a, "prejoin");
        await JoinAsync(a);

        await Portal.SignInAsync(b, "bob@interieur.test", "Bob Durand");
        await b.GotoAsync("/meetings/" + code);
        await JoinAsync(b);

        await c.GotoAsync($"/meetings/{code}/guest");
        await c.GetByLabel("Votre nom").FillAsync(Guest);
        await c.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la réunion" }).ClickAsync();
        await Expect(c.Locator("#prejoin-status")).ToContainTextAsync("salle d'attente");
        await journal.ShotAsync(c, "guest-waiting");

        await a.Locator("#call-lobby").GetByRole(AriaRole.Button, new() { Name = $"Faire entrer {Guest}" }).ClickAsync();
        await Expect(c.Locator("#call")).ToHaveAttributeAsync("data-state", "in-call");
        foreach (var page in new[] { a, b, c })
            await Expect(page.Locator("#call-participant-list li")).ToHaveCountAsync(3);

        var ids = new Dictionary<string, string>
        {
            ["Alice"] = await ParticipantIdAsync(a),
            ["Bob"] = await ParticipantIdAsync(b),
            ["Chloé"] = await ParticipantIdAsync(c),
        };
        try
        {
            foreach (var (viewer, page) in new[] { ("Alice", a), ("Bob", b), ("Chloé", c) })
            {
                foreach (var (name, id) in ids.Where(other => other.Key != viewer))
                {
                    await GrowsAsync(page, id, "framesDecoded", $"{viewer} decodes {name}'s video");
                    await GrowsAsync(page, id, "audioPackets", $"{viewer} receives {name}'s audio");
                }
            }
        }
        catch (Xunit.Sdk.XunitException)
        {
            foreach (var (name, page) in new[] { ("Alice", a), ("Bob", b), ("Chloé", c) })
                journal.Note($"{name}'s connections: {await page.EvaluateAsync<JsonElement>("() => window.suiteCall.debug()")}");
            await journal.ShotAsync(a, "media-FAILED");
            throw;
        }
        foreach (var (name, page) in new[] { ("Alice", a), ("Bob", b), ("Chloé", c) })
            journal.Note($"join to first remote frame, {name}: {await page.EvaluateAsync<int?>("() => window.suiteCall.firstRemoteFrameMs()")} ms");
        await journal.ShotAsync(a, "three-people");

        await a.GetByRole(AriaRole.Button, new() { Name = "Partager l'écran" }).ClickAsync();
        await GrowsAsync(b, ids["Alice"], "screenFrames", "Bob sees Alice's screen");
        await GrowsAsync(c, ids["Alice"], "screenFrames", "Chloé sees Alice's screen");
        await Expect(b.Locator("figure[data-kind=screen]")).ToHaveCountAsync(1);
        await journal.ShotAsync(b, "screen-share");

        await c.GetByRole(AriaRole.Button, new() { Name = "Lever la main" }).ClickAsync();
        await Expect(a.Locator($"#call-participant-list li[data-participant='{ids["Chloé"]}']")).ToHaveAttributeAsync("data-hand", "true");
        await Expect(a.Locator("#call-live")).ToContainTextAsync($"{Guest} lève la main");

        await a.GetByRole(AriaRole.Button, new() { Name = $"Couper le micro de {Guest}" }).ClickAsync();
        await Expect(c.Locator("#call-mic")).ToHaveTextAsync("Réactiver mon micro");
        await c.WaitForTimeoutAsync(1500);
        var before = await InboundAsync(b, ids["Chloé"], "audioPackets");
        await c.WaitForTimeoutAsync(3000);
        var after = await InboundAsync(b, ids["Chloé"], "audioPackets");
        journal.Note($"Chloé's audio packets at Bob after the mute: {before} then {after} three seconds later");
        Assert.True(after - before < 10, $"Chloé's audio still reaches Bob after Alice muted her ({before} → {after} packets).");
        await GrowsAsync(b, ids["Alice"], "audioPackets", "Bob still receives Alice's audio");

        await a.GetByRole(AriaRole.Button, new() { Name = $"Retirer {Guest} de la réunion" }).ClickAsync();
        await Expect(c.Locator("#call-over-title")).ToContainTextAsync("retiré");
        await Expect(a.Locator("#call-participant-list li")).ToHaveCountAsync(2);
        await journal.ShotAsync(c, "guest-removed");

        foreach (var actor in new[] { alice, bob, chloe })
            journal.Check(actor);
        journal.Done();
    }

    internal static async Task JoinAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la réunion" }).ClickAsync();
        await Expect(page.Locator("#call")).ToHaveAttributeAsync("data-state", "in-call");
    }

    internal static Task<string> ParticipantIdAsync(IPage page) => page.Locator("#call").GetAttributeAsync("data-participant-id")!;

    internal static async Task<long> InboundAsync(IPage page, string participantId, string counter)
    {
        var inbound = await page.EvaluateAsync<JsonElement>("() => window.suiteCall.inbound()");
        return inbound.TryGetProperty(participantId, out var entry) ? entry.GetProperty(counter).GetInt64() : 0;
    }

    /// <summary>The counter is above zero and still rising a second later (media flows, not a single keyframe).</summary>
    internal static async Task GrowsAsync(IPage page, string participantId, string counter, string what)
    {
        var watch = Stopwatch.StartNew();
        long first = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(30))
        {
            first = await InboundAsync(page, participantId, counter);
            if (first > 0)
                break;
            await page.WaitForTimeoutAsync(500);
        }
        Assert.True(first > 0, $"{what}: {counter} stayed at 0 for 30 s. Browser state: {await page.EvaluateAsync<JsonElement>("() => window.suiteCall.debug()")}");
        await page.WaitForTimeoutAsync(1500);
        var second = await InboundAsync(page, participantId, counter);
        Assert.True(second > first, $"{what}: {counter} stopped at {first}.");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{what} did not happen within 20 s.");
            await Task.Delay(250);
        }
    }
}
