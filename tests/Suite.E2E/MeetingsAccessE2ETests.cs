using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Suite.Testing;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Suite.E2E.MeetingsCallE2ETests;

namespace Suite.E2E;

/// <summary>Who gets into a Visio room, seen in real browsers: a person of another ministry sees none of Alice's rooms and
/// waits outside her trusted room; an uninvited colleague asks to enter a restricted room and is let in from the call;
/// a room at its participant limit tells the next person so while the people inside carry on; a person who refuses the
/// camera and microphone is told and joins as a listener. Runs on the same portal and browser as
/// <see cref="MeetingsCallE2ETests"/>.</summary>
[Collection(MeetingsCollection.Name)]
public sealed class MeetingsAccessE2ETests(MeetingsPortalFixture portal, ITestOutputHelper output)
{
    [Fact]
    public async Task A_person_of_another_ministry_sees_none_of_the_rooms_and_waits_outside_a_trusted_room()
    {
        var journal = new Journal("meetings-other-ministry", output);
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        await using var carla = await portal.NewActorAsync(portal.Host.BaseUrl, "Carla (Culture)");
        var a = alice.Page;
        var c = carla.Page;
        await Portal.SignInAsync(a, "alice@interieur.test", "Alice Martin");
        var code = await CreateRoomAsync(a, "Réunion de cabinet", "trusted");
        await JoinAsync(a);

        await Portal.SignInAsync(c, "carla@culture.test", "Carla Roux");
        await c.GotoAsync("/meetings");
        await Expect(c.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        var home = await c.Locator("body").InnerTextAsync();
        Assert.DoesNotContain(code, home, StringComparison.Ordinal);
        Assert.DoesNotContain("Réunion de cabinet", home, StringComparison.Ordinal);
        await Expect(c.Locator("#my-rooms")).ToHaveCountAsync(0);
        await journal.ShotAsync(c, "home-without-other-rooms");

        // Visio has no room listing API; the ticket API, asked from Carla's browser, only puts her in the lobby.
        var ticket = await carla.Context.APIRequest.PostAsync($"/api/meetings/rooms/{code}/ticket");
        Assert.Equal(202, ticket.Status);
        var answer = await ticket.JsonAsync();
        Assert.Equal("waiting", answer!.Value.GetProperty("status").GetString());
        Assert.False(answer.Value.TryGetProperty("ticket", out _), "A person of another ministry got a ticket for a trusted room.");
        await c.GotoAsync($"/meetings/{code}/settings");
        await Expect(c.GetByRole(AriaRole.Heading, new() { Name = "Salle introuvable", Level = 1 })).ToBeVisibleAsync();

        await c.GotoAsync("/meetings/" + code);
        await Expect(c.Locator("#room-ask")).ToContainTextAsync("accueille les agents de son ministère");
        await Expect(c.Locator("#call")).ToHaveCountAsync(0);
        await c.GetByRole(AriaRole.Button, new() { Name = "Demander à entrer" }).ClickAsync();
        await Expect(c).ToHaveURLAsync(new Regex($"/meetings/{code}\\?request="));
        await Expect(c.Locator("#lobby-status")).ToHaveAttributeAsync("data-status", "Waiting");
        await Expect(c.Locator("#lobby-status")).ToContainTextAsync("Votre demande est transmise aux organisateurs");
        await Expect(c.Locator("#call")).ToHaveCountAsync(0);
        await journal.ShotAsync(c, "outsider-waiting");

        // Alice sees her in the call's lobby, not in the call; she refuses, and Carla's page says so.
        var lobby = a.Locator("#call-lobby");
        await Expect(lobby.GetByRole(AriaRole.Button, new() { Name = "Faire entrer Carla Roux" })).ToBeVisibleAsync();
        await Expect(a.Locator("#call-participant-list li")).ToHaveCountAsync(1);
        await journal.ShotAsync(a, "host-sees-outsider-in-lobby");
        await lobby.GetByRole(AriaRole.Button, new() { Name = "Refuser Carla Roux" }).ClickAsync();
        await Expect(c.Locator("#lobby-status")).ToHaveAttributeAsync("data-status", "Denied");
        await Expect(c.Locator("#lobby-status")).ToContainTextAsync("Un organisateur a refusé votre demande.");
        await Expect(a.Locator("#call-participant-list li")).ToHaveCountAsync(1);
        await journal.ShotAsync(c, "outsider-refused");

        foreach (var actor in new[] { alice, carla })
            journal.Check(actor);
        journal.Done();
    }

    [Fact]
    public async Task An_uninvited_colleague_asks_to_enter_a_restricted_room_and_joins_the_call_once_the_owner_admits_them()
    {
        var journal = new Journal("meetings-restricted", output);
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        await using var dora = await portal.NewActorAsync(portal.Host.BaseUrl, "Dora");
        var a = alice.Page;
        var d = dora.Page;
        await Portal.SignInAsync(a, "alice@interieur.test", "Alice Martin");
        var code = await CreateRoomAsync(a, "Cellule restreinte", "restricted");
        await JoinAsync(a);

        await Portal.SignInAsync(d, "dora@interieur.test", "Dora Petit");
        await d.GotoAsync("/meetings/" + code);
        await Expect(d.Locator("#room-ask")).ToContainTextAsync("Cette salle est restreinte");
        await Expect(d.Locator("#call")).ToHaveCountAsync(0);
        await journal.ShotAsync(d, "ask-to-enter");
        await d.GetByRole(AriaRole.Button, new() { Name = "Demander à entrer" }).ClickAsync();
        await Expect(d.Locator("#lobby-status")).ToHaveAttributeAsync("data-status", "Waiting");
        await journal.ShotAsync(d, "waiting");

        await a.Locator("#call-lobby").GetByRole(AriaRole.Button, new() { Name = "Faire entrer Dora Petit" }).ClickAsync();
        await Expect(d.Locator("#lobby-status")).ToHaveAttributeAsync("data-status", "Admitted");
        await d.GetByRole(AriaRole.Link, new() { Name = "Entrer dans la salle" }).ClickAsync();
        await JoinAsync(d);
        foreach (var page in new[] { a, d })
            await Expect(page.Locator("#call-participant-list li")).ToHaveCountAsync(2);

        var aliceId = await ParticipantIdAsync(a);
        var doraId = await ParticipantIdAsync(d);
        await Expect(a.Locator($"#call-participant-list li[data-participant='{doraId}']")).ToContainTextAsync("Dora Petit");
        try
        {
            await GrowsAsync(d, aliceId, "framesDecoded", "Dora decodes Alice's video");
            await GrowsAsync(d, aliceId, "audioPackets", "Dora receives Alice's audio");
            await GrowsAsync(a, doraId, "framesDecoded", "Alice decodes Dora's video");
        }
        catch (Xunit.Sdk.XunitException)
        {
            journal.Note($"Alice's connections: {await a.EvaluateAsync<JsonElement>("() => window.suiteCall.debug()")}");
            await journal.ShotAsync(d, "media-FAILED");
            throw;
        }
        journal.Note($"join to first remote frame, Dora (from the admission): {await d.EvaluateAsync<int?>("() => window.suiteCall.firstRemoteFrameMs()")} ms");
        await journal.ShotAsync(d, "admitted-in-call");

        foreach (var actor in new[] { alice, dora })
            journal.Check(actor);
        journal.Done();
    }

    [Fact]
    public async Task A_room_at_its_participant_limit_tells_the_next_person_so_and_the_people_inside_carry_on()
    {
        var journal = new Journal("meetings-room-full", output);
        await using (var admin = await portal.NewActorAsync(portal.Host.BaseUrl, "administrator"))
        {
            // The limit is set for Bob's department (dgsi) only: rooms are counted against the settings of the department
            // they were created in, so the other scenarios on this portal keep the ministry's limit.
            var page = admin.Page;
            await Portal.SignInAsync(page, Portal.AdminEmail, Portal.AdminName);
            await page.GotoAsync("/admin/m/interieur");
            await page.Locator("#departments tr", new() { HasText = "Sécurité intérieure" }).GetByRole(AriaRole.Link, new() { Name = "Paramètres" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/admin/m/interieur/departments/[0-9a-f-]+/settings$"));
            await page.GetByLabel("Nombre maximal de participants par salle").FillAsync("2");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Modifications enregistrées.");
            await Expect(page.GetByLabel("Nombre maximal de participants par salle")).ToHaveValueAsync("2");
            await journal.ShotAsync(page, "department-limit");
            journal.Check(admin);
        }

        await using var bob = await portal.NewActorAsync(portal.Host.BaseUrl, "Bob");
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        await using var dora = await portal.NewActorAsync(portal.Host.BaseUrl, "Dora");
        var b = bob.Page;
        var a = alice.Page;
        var d = dora.Page;
        await Portal.SignInAsync(b, "bob@interieur.test", "Bob Durand");
        var code = await CreateRoomAsync(b, "Salle comble", "trusted");
        await JoinAsync(b);
        await Portal.SignInAsync(a, "alice@interieur.test", "Alice Martin");
        await a.GotoAsync("/meetings/" + code);
        await JoinAsync(a);
        foreach (var page in new[] { a, b })
            await Expect(page.Locator("#call-participant-list li")).ToHaveCountAsync(2);

        await Portal.SignInAsync(d, "dora@interieur.test", "Dora Petit");
        await d.GotoAsync("/meetings/" + code);
        await d.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la réunion" }).ClickAsync();
        await Expect(d.Locator("#prejoin-status")).ToHaveTextAsync("La réunion est complète : le nombre maximal de participants est atteint.");
        await Expect(d.Locator("#call")).ToHaveAttributeAsync("data-entry", "full");
        await Expect(d.Locator("#call")).Not.ToHaveAttributeAsync("data-state", "in-call");
        await Expect(d.GetByRole(AriaRole.Button, new() { Name = "Rejoindre la réunion" })).ToBeEnabledAsync();
        await journal.ShotAsync(d, "room-full");

        // The two inside are unaffected: still two, still receiving each other.
        var aliceId = await ParticipantIdAsync(a);
        var bobId = await ParticipantIdAsync(b);
        foreach (var page in new[] { a, b })
            await Expect(page.Locator("#call-participant-list li")).ToHaveCountAsync(2);
        await GrowsAsync(a, bobId, "framesDecoded", "Alice still decodes Bob's video");
        await GrowsAsync(b, aliceId, "audioPackets", "Bob still receives Alice's audio");
        journal.Note($"join to first remote frame, Alice: {await a.EvaluateAsync<int?>("() => window.suiteCall.firstRemoteFrameMs()")} ms");
        await journal.ShotAsync(b, "inside-unaffected");

        foreach (var actor in new[] { bob, alice, dora })
            journal.Check(actor);
        journal.Done();
    }

    [Fact]
    public async Task A_person_who_refuses_the_camera_and_microphone_is_told_and_joins_as_a_listener()
    {
        var journal = new Journal("meetings-devices-refused", output);
        // Without the fake permission prompt, headless Chromium refuses the page's request for the camera and microphone.
        await using var refusing = await portal.LaunchAsync(ChromiumLocator.LaunchArgs.Where(arg => arg != "--use-fake-ui-for-media-stream"));
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        await using var dora = await portal.NewActorAsync(portal.Host.BaseUrl, "Dora (refuses devices)", browser: refusing);
        var a = alice.Page;
        var d = dora.Page;
        await Portal.SignInAsync(a, "alice@interieur.test", "Alice Martin");
        var code = await CreateRoomAsync(a, "Point sans caméra", "trusted");
        await JoinAsync(a);

        await Portal.SignInAsync(d, "dora@interieur.test", "Dora Petit");
        await d.GotoAsync("/meetings/" + code);
        var notice = d.Locator("#prejoin-notice");
        await Expect(notice).ToContainTextAsync("Aucune caméra disponible.");
        await Expect(notice).ToContainTextAsync("Aucun micro disponible.");
        await Expect(notice).ToContainTextAsync("L'accès a été refusé dans le navigateur : vous pouvez rejoindre avec ce qui est disponible, ou en auditeur.");
        await Expect(d.Locator("#prejoin-mic")).ToBeDisabledAsync();
        await Expect(d.Locator("#prejoin-camera-toggle")).ToBeDisabledAsync();
        await journal.ShotAsync(d, "prejoin-refused");

        await JoinAsync(d);
        var aliceId = await ParticipantIdAsync(a);
        var doraId = await ParticipantIdAsync(d);
        var doraInAlicesList = a.Locator($"#call-participant-list li[data-participant='{doraId}']");
        await Expect(doraInAlicesList).ToHaveAttributeAsync("data-mic", "false");
        await Expect(doraInAlicesList).ToContainTextAsync("Dora Petit");
        var roster = await d.EvaluateAsync<JsonElement>("() => window.suiteCall.roster()");
        var self = roster.EnumerateArray().Single(p => p.GetProperty("id").GetString() == doraId);
        Assert.False(self.GetProperty("camera").GetBoolean());
        Assert.Equal(0, self.GetProperty("tracks").GetArrayLength());
        await GrowsAsync(d, aliceId, "framesDecoded", "Dora, listening, decodes Alice's video");
        await GrowsAsync(d, aliceId, "audioPackets", "Dora, listening, receives Alice's audio");
        await journal.ShotAsync(d, "listener-in-call");

        foreach (var actor in new[] { alice, dora })
            journal.Check(actor);
        journal.Done();
    }

    /// <summary>On the meetings home page: creates a named room with <paramref name="access"/> and lands on its pre-join screen.</summary>
    private static async Task<string> CreateRoomAsync(IPage page, string name, string access)
    {
        await page.GotoAsync("/meetings");
        await page.GetByLabel("Nom de la salle").FillAsync(name);
        await page.Locator("#room-access").SelectOptionAsync(access);
        await page.GetByRole(AriaRole.Button, new() { Name = "Créer une salle", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/meetings/[a-z]{3}-[a-z]{4}-[a-z]{3}$"));
        await Expect(page.Locator("#prejoin-join")).ToBeVisibleAsync();
        return new Uri(page.Url).AbsolutePath["/meetings/".Length..];
    }
}
