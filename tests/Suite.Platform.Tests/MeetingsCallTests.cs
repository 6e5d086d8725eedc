using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Suite.Meetings.Data;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>Visio's signalling socket as browsers use it: tickets, the join handshake, validation of every message,
/// permissions by role, tenancy, guests, the participant limit and the per-connection rate limit. The room's ministry
/// (Interior) allows 2 participants per room here; the Culture ministry does not allow guests; the Armed Forces
/// ministry has not switched Visio on.</summary>
public abstract class MeetingsCallTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : PortalWorld
{
    private static readonly SemaphoreSlim Arranged = new(1, 1);
    private static readonly HashSet<string> ArrangedHosts = [];

    [Fact]
    public async Task A_colleague_joins_with_a_ticket_and_everyone_gets_the_roster_with_roles()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        var code = await CreateRoomAsync(alice, "Point signalisation", "trusted");

        await using var aliceCall = await JoinAsync(alice, code);
        Assert.Equal("owner", aliceCall.Welcome.GetProperty("self").GetProperty("role").GetString());
        await using var bobCall = await JoinAsync(bob, code);
        Assert.Equal("participant", bobCall.Welcome.GetProperty("self").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(bobCall.Welcome.GetProperty("ticket").GetString()));

        var roster = await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 2);
        var names = roster.GetProperty("participants").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["Alice Martin", "Bob Durand"], names);
        Assert.All(roster.GetProperty("participants").EnumerateArray(), p => Assert.True(p.GetProperty("mic").GetBoolean()));

        await bobCall.SendAsync(new { type = "hand", raised = true });
        await aliceCall.NextAsync("roster", r => Is(r, bobCall.Id, p => p.GetProperty("hand").GetBoolean()));
        await bobCall.SendAsync(new { type = "chat", text = "  Bonjour à tous  " });
        var chat = await aliceCall.NextAsync("chat");
        Assert.Equal("Bonjour à tous", chat.GetProperty("text").GetString());
        Assert.Equal("Bob Durand", chat.GetProperty("name").GetString());
        await aliceCall.SendAsync(new { type = "reaction", emoji = "👏" });
        Assert.Equal("👏", (await bobCall.NextAsync("reaction")).GetProperty("emoji").GetString());

        await bobCall.SendAsync(new { type = "leave" });
        await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 1);

        // The call writes the room's history: the owner sees who came (written off the call's work loop, so look again).
        PortalClient.Page history = default!;
        for (var tries = 0; tries < 20; tries++)
        {
            history = await alice.GetAsync($"/meetings/{code}/history");
            if (history.Document.QuerySelector("tr[data-person='Bob Durand']") is not null)
                break;
            await Task.Delay(250);
        }
        Assert.NotNull(history.Document.QuerySelector("tr[data-person='Bob Durand']"));
        Assert.NotNull(history.Document.QuerySelector("tr[data-person='Alice Martin']"));
    }

    [Fact]
    public async Task Malformed_or_unknown_messages_are_refused_with_an_error_and_the_call_goes_on()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Messages invalides", "trusted");
        await using var call = await JoinAsync(alice, code);

        await call.SendRawAsync("ceci n'est pas du JSON");
        await call.ExpectErrorAsync("malformed");
        await call.SendRawAsync("[1, 2, 3]");
        await call.ExpectErrorAsync("malformed");
        await call.SendAsync(new { type = "teleport" });
        await call.ExpectErrorAsync("unknown-type", "teleport");
        await call.SendAsync(new { type = "chat", text = 42 });
        await call.ExpectErrorAsync("invalid", "chat");
        await call.SendAsync(new { type = "chat", text = new string('x', 2001) });
        await call.ExpectErrorAsync("invalid", "chat");
        await call.SendAsync(new { type = "reaction", emoji = "<script>" });
        await call.ExpectErrorAsync("invalid", "reaction");
        await call.SendAsync(new { type = "media-state", mic = "yes" });
        await call.ExpectErrorAsync("invalid", "media-state");
        await call.SendAsync(new { type = "max-layer", trackId = "nope", layer = 7 });
        await call.ExpectErrorAsync("invalid", "max-layer");
        await call.SendAsync(new { type = "publish", sdp = "v=0 not really an offer" });
        await call.ExpectErrorAsync("negotiation-failed", "publish");
        await call.SendAsync(new { type = "mute", participantId = "nobody" });
        await call.ExpectErrorAsync("unknown-participant", "mute");

        await call.SendAsync(new { type = "ping" });
        await call.NextAsync("pong");
        await call.SendAsync(new { type = "chat", text = "toujours là" });
        Assert.Equal("toujours là", (await call.NextAsync("chat")).GetProperty("text").GetString());
    }

    [Fact]
    public async Task Moderation_is_refused_to_participants_and_the_owner_mutes_switches_and_removes()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        var code = await CreateRoomAsync(alice, "Modération", "trusted");
        await using var aliceCall = await JoinAsync(alice, code);
        await using var bobCall = await JoinAsync(bob, code);

        foreach (var refused in new object[]
        {
            new { type = "mute", participantId = aliceCall.Id },
            new { type = "mute-all" },
            new { type = "remove", participantId = aliceCall.Id },
            new { type = "end" },
            new { type = "switches", chat = false },
            new { type = "lower-hands" },
            new { type = "promote", participantId = bobCall.Id },
        })
        {
            await bobCall.SendAsync(refused);
            await bobCall.ExpectErrorAsync("not-allowed");
        }

        await aliceCall.SendAsync(new { type = "mute", participantId = bobCall.Id });
        Assert.Equal("Alice Martin", (await bobCall.NextAsync("muted")).GetProperty("by").GetString());
        await aliceCall.NextAsync("roster", r => Is(r, bobCall.Id, p => !p.GetProperty("mic").GetBoolean()));

        await aliceCall.SendAsync(new { type = "switches", selfUnmute = false, chat = false });
        var switches = (await bobCall.NextAsync("switches")).GetProperty("switches");
        Assert.False(switches.GetProperty("selfUnmute").GetBoolean());
        await bobCall.SendAsync(new { type = "media-state", mic = true });
        await bobCall.ExpectErrorAsync("not-allowed", "media-state");
        await bobCall.SendAsync(new { type = "chat", text = "puis-je parler ?" });
        await bobCall.ExpectErrorAsync("not-allowed", "chat");
        await aliceCall.SendAsync(new { type = "chat", text = "pas encore" });
        await bobCall.NextAsync("chat", c => c.GetProperty("text").GetString() == "pas encore");

        await aliceCall.SendAsync(new { type = "remove", participantId = aliceCall.Id });
        await aliceCall.ExpectErrorAsync("not-allowed", "remove");
        await aliceCall.SendAsync(new { type = "remove", participantId = bobCall.Id });
        await bobCall.NextAsync("removed");
        Assert.True(await bobCall.ClosedAsync());
        await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 1);

        // Neither the rejoin ticket nor a fresh one lets a removed person back into this call.
        await using var rejoin = await SignalClient.ConnectAsync(world.Host.BaseUrl, bob.Cookies);
        await rejoin.SendAsync(new { type = "join", ticket = bobCall.Welcome.GetProperty("ticket").GetString() });
        await rejoin.ExpectErrorAsync("refused", "join");
        await using var again = await SignalClient.ConnectAsync(world.Host.BaseUrl, bob.Cookies);
        await again.SendAsync(new { type = "join", ticket = await TicketAsync(bob, code) });
        await again.ExpectErrorAsync("refused", "join");
    }

    [Fact]
    public async Task A_forged_ticket_or_someone_elses_ticket_is_refused()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        var code = await CreateRoomAsync(alice, "Billets", "trusted");

        await using var forged = await SignalClient.ConnectAsync(world.Host.BaseUrl, bob.Cookies);
        await forged.SendAsync(new { type = "join", ticket = "CfDJ8-pas-un-vrai-billet" });
        await forged.ExpectErrorAsync("bad-ticket", "join");
        Assert.True(await forged.ClosedAsync());

        await using var stolen = await SignalClient.ConnectAsync(world.Host.BaseUrl, bob.Cookies);
        await stolen.SendAsync(new { type = "join", ticket = await TicketAsync(alice, code) });
        await stolen.ExpectErrorAsync("bad-ticket", "join");

        await using var silent = await SignalClient.ConnectAsync(world.Host.BaseUrl, bob.Cookies);
        await silent.SendAsync(new { type = "chat", text = "sans rejoindre" });
        await silent.ExpectErrorAsync("not-joined", "join");
    }

    [Fact]
    public async Task Another_ministry_gets_no_ticket_for_a_trusted_room_until_a_host_admits_it()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var carla = await world.SignInAsync("carla@culture.test");
        var code = await CreateRoomAsync(alice, "Entre ministères", "trusted");

        using var answer = await carla.RawPostAsync($"/api/meetings/rooms/{code}/ticket");
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("waiting", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var unknown = await carla.RawPostAsync("/api/meetings/rooms/abc-defg-hjk/ticket");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.DoesNotContain(code, (await carla.GetAsync("/meetings")).Html);
    }

    [Fact]
    public async Task A_guest_enters_a_public_room_by_name_and_waits_in_a_trusted_one_until_the_owner_admits()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var guest = new HttpClient { BaseAddress = new Uri(world.Host.BaseUrl) };
        var publicCode = await CreateRoomAsync(alice, "Ouverte", "public");

        using var nameless = await guest.PostAsJsonAsync($"/api/meetings/rooms/{publicCode}/guest", new { displayName = "   " });
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        using var entered = await guest.PostAsJsonAsync($"/api/meetings/rooms/{publicCode}/guest", new { displayName = "Gaston Invité" });
        Assert.Equal(HttpStatusCode.OK, entered.StatusCode);
        await using (var guestCall = await SignalClient.JoinAsync(world.Host.BaseUrl, null, (await entered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!))
            Assert.Equal("guest", guestCall.Welcome.GetProperty("self").GetProperty("role").GetString());

        var trustedCode = await CreateRoomAsync(alice, "Sur invitation", "trusted");
        await using var aliceCall = await JoinAsync(alice, trustedCode);
        using var waiting = await guest.PostAsJsonAsync($"/api/meetings/rooms/{trustedCode}/guest", new { displayName = "Gaston Invité" });
        Assert.Equal(HttpStatusCode.Accepted, waiting.StatusCode);
        var requestId = (await waiting.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requestId").GetString()!;
        using (var stillWaiting = await guest.GetAsync($"/api/meetings/rooms/{trustedCode}/guest/{requestId}"))
            Assert.Equal(HttpStatusCode.Accepted, stillWaiting.StatusCode);

        var lobby = await aliceCall.NextAsync("lobby", l => l.GetProperty("waiting").GetArrayLength() == 1);
        Assert.Equal("Gaston Invité", lobby.GetProperty("waiting")[0].GetProperty("name").GetString());
        await aliceCall.SendAsync(new { type = "admit", requestId, admit = true });
        await aliceCall.NextAsync("lobby", l => l.GetProperty("waiting").GetArrayLength() == 0);

        using var admitted = await guest.GetAsync($"/api/meetings/rooms/{trustedCode}/guest/{requestId}");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        await using var guestInTrusted = await SignalClient.JoinAsync(world.Host.BaseUrl, null, (await admitted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticket").GetString()!);
        await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 2);

        // A guest request is only good for its own room.
        var otherCode = await CreateRoomAsync(alice, "Autre salle", "trusted");
        using (var elsewhere = await guest.GetAsync($"/api/meetings/rooms/{otherCode}/guest/{requestId}"))
            Assert.Equal(HttpStatusCode.Forbidden, elsewhere.StatusCode);

        // A guest made administrator keeps the role for this meeting only: nothing is written to the room's roles.
        await aliceCall.SendAsync(new { type = "promote", participantId = guestInTrusted.Id });
        Assert.Equal("administrator", (await guestInTrusted.NextAsync("promoted")).GetProperty("role").GetString());
        await aliceCall.NextAsync("roster", r => Is(r, guestInTrusted.Id, p => p.GetProperty("role").GetString() == "administrator"));
        await guestInTrusted.SendAsync(new { type = "lower-hands" });
        await guestInTrusted.SendAsync(new { type = "ping" });
        await guestInTrusted.NextAsync("pong");
        Assert.Equal(0, guestInTrusted.Count("error"));
        Assert.Equal([("Alice Martin", "owner")], await StoredRolesAsync(trustedCode));
    }

    [Fact]
    public async Task A_promotion_during_the_call_is_kept_in_the_rooms_roles_and_audited_and_so_is_a_demotion()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        var code = await CreateRoomAsync(alice, "Promotions", "trusted");
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/meetings/{code}/settings")).Status);
        await using var aliceCall = await JoinAsync(alice, code);
        await using (var bobCall = await JoinAsync(bob, code))
        {
            await aliceCall.SendAsync(new { type = "promote", participantId = bobCall.Id });
            Assert.Equal("administrator", (await bobCall.NextAsync("promoted")).GetProperty("role").GetString());
            await bobCall.NextAsync("lobby");
            await WaitForRolesAsync(code, [("Alice Martin", "owner"), ("Bob Durand", "administrator")]);
            // An administrator never demotes the owner.
            await bobCall.SendAsync(new { type = "demote", participantId = aliceCall.Id });
            await bobCall.ExpectErrorAsync("not-allowed", "demote");
            await bobCall.SendAsync(new { type = "leave" });
        }
        await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 1);

        // The stored role is the one the settings page edits: Bob now manages the room and a new connection is a host's.
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync($"/meetings/{code}/settings")).Status);
        await using (var bobAgain = await JoinAsync(bob, code))
        {
            Assert.Equal("administrator", bobAgain.Welcome.GetProperty("self").GetProperty("role").GetString());
            await bobAgain.SendAsync(new { type = "mute", participantId = aliceCall.Id });
            await aliceCall.NextAsync("muted");

            await aliceCall.SendAsync(new { type = "demote", participantId = bobAgain.Id });
            Assert.Equal("participant", (await bobAgain.NextAsync("demoted")).GetProperty("role").GetString());
            await bobAgain.SendAsync(new { type = "mute", participantId = aliceCall.Id });
            await bobAgain.ExpectErrorAsync("not-allowed", "mute");
            await WaitForRolesAsync(code, [("Alice Martin", "owner"), ("Bob Durand", "member")]);
            await bobAgain.SendAsync(new { type = "leave" });
        }
        await aliceCall.NextAsync("roster", r => r.GetProperty("participants").GetArrayLength() == 1);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/meetings/{code}/settings")).Status);
        await using (var bobThird = await JoinAsync(bob, code))
            Assert.Equal("participant", bobThird.Welcome.GetProperty("self").GetProperty("role").GetString());

        var audit = await alice.GetAsync($"/meetings/{code}/history");
        var roles = audit.Document.QuerySelectorAll("#room-events tr[data-action='room.role']").Select(tr => tr.TextContent).ToList();
        Assert.Contains(roles, r => r.Contains("Bob Durand: administrator", StringComparison.Ordinal) && r.Contains("Alice Martin", StringComparison.Ordinal));
        Assert.Contains(roles, r => r.Contains("Bob Durand: administrator → Bob Durand: member", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_dropped_connection_is_shown_as_reconnecting_and_the_rejoin_ticket_takes_the_place_back()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        var code = await CreateRoomAsync(alice, "Coupure réseau", "trusted");
        await using var aliceCall = await JoinAsync(alice, code);
        await using var bobCall = await JoinAsync(bob, code);
        await bobCall.SendAsync(new { type = "hand", raised = true });
        await aliceCall.NextAsync("roster", r => Is(r, bobCall.Id, p => p.GetProperty("hand").GetBoolean() && p.GetProperty("state").GetString() == "connected"));

        bobCall.Abort();
        await aliceCall.NextAsync("roster", r => Is(r, bobCall.Id, p => p.GetProperty("state").GetString() == "reconnecting"));

        await using var bobBack = await SignalClient.JoinAsync(world.Host.BaseUrl, bob.Cookies, bobCall.Welcome.GetProperty("ticket").GetString()!);
        Assert.Equal(bobCall.Id, bobBack.Id);
        var roster = await aliceCall.NextAsync("roster", r => Is(r, bobCall.Id, p => p.GetProperty("state").GetString() == "connected"));
        Assert.Equal(2, roster.GetProperty("participants").GetArrayLength());
        Assert.True(Is(roster, bobCall.Id, p => p.GetProperty("hand").GetBoolean()), "Bob's raised hand was lost with his connection.");
    }

    [Fact]
    public async Task The_call_refuses_anonymous_ticket_requests_and_sockets_opened_from_another_site()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Origines", "public");
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(world.Host.BaseUrl) };
        using var ticket = await anonymous.PostAsync($"/api/meetings/rooms/{code}/ticket", content: null);
        Assert.NotEqual(HttpStatusCode.OK, ticket.StatusCode);
        Assert.DoesNotContain("ticket\":\"", await ticket.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var foreign = new ClientWebSocket();
        foreign.Options.Cookies = alice.Cookies;
        foreign.Options.SetRequestHeader("Origin", "http://autre-site.example");
        var refused = await Assert.ThrowsAnyAsync<WebSocketException>(() =>
            foreign.ConnectAsync(new Uri(world.Host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/meetings/call"), CancellationToken.None));
        Assert.Contains("403", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Guests_are_refused_where_the_ministry_does_not_allow_them()
    {
        await ArrangeAsync();
        using var carla = await world.SignInAsync("carla@culture.test");
        var code = await CreateRoomAsync(carla, "Culture ouverte", "public");
        using var guest = new HttpClient { BaseAddress = new Uri(world.Host.BaseUrl) };
        using var refused = await guest.PostAsJsonAsync($"/api/meetings/rooms/{code}/guest", new { displayName = "Gaston Invité" });
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("guests-not-allowed", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var page = await new PortalClient(world.Host.BaseUrl).GetAsync($"/meetings/{code}/guest");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("#call"));
    }

    [Fact]
    public async Task A_room_at_its_participant_limit_refuses_the_next_one_clearly()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var bob = await world.SignInAsync("bob@interieur.test");
        using var dora = await world.SignInAsync("dora@interieur.test");
        var code = await CreateRoomAsync(alice, "Salle limitée", "trusted");
        var doraTicket = await TicketAsync(dora, code);
        await using var aliceCall = await JoinAsync(alice, code);
        await using var bobCall = await JoinAsync(bob, code);

        using var full = await dora.RawPostAsync($"/api/meetings/rooms/{code}/ticket");
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Equal("full", (await full.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        await using var late = await SignalClient.ConnectAsync(world.Host.BaseUrl, dora.Cookies);
        await late.SendAsync(new { type = "join", ticket = doraTicket });
        await late.ExpectErrorAsync("room-full", "join");

        // Bob reconnects with his rejoin ticket: his place is still his.
        await using var bobAgain = await SignalClient.JoinAsync(world.Host.BaseUrl, bob.Cookies, bobCall.Welcome.GetProperty("ticket").GetString()!);
        Assert.Equal(bobCall.Id, bobAgain.Id);
    }

    [Fact]
    public async Task A_person_whose_ministry_has_not_switched_Visio_on_gets_no_ticket_even_for_a_public_room()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Ouverte à tous", "public");
        using var eric = await world.SignInAsync("eric@armees.test");
        using var ticket = await eric.RawPostAsync($"/api/meetings/rooms/{code}/ticket");
        var body = await ticket.Content.ReadAsStringAsync();
        Assert.NotEqual(HttpStatusCode.OK, ticket.StatusCode);
        Assert.DoesNotContain("\"ticket\"", body, StringComparison.Ordinal);
        var room = await eric.GetAsync("/meetings/" + code);
        Assert.Null(room.Document.QuerySelector("#call"));
        Assert.Null(room.Document.QuerySelector("#room-entered"));
        Assert.DoesNotContain("Ouverte à tous", room.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flood_of_messages_is_rate_limited_per_connection()
    {
        await ArrangeAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Inondation", "trusted");
        await using var call = await JoinAsync(alice, code);
        for (var i = 0; i < 200; i++)
            await call.SendAsync(new { type = "ping" });
        await call.ExpectErrorAsync("rate-limited");
        await Task.Delay(500);
        Assert.InRange(call.Count("pong"), 40, 120);
    }

    /// <summary>Whether the roster lists <paramref name="id"/> and that entry matches (rosters sent before they joined do not).</summary>
    private static bool Is(JsonElement roster, string id, Func<JsonElement, bool> match) =>
        roster.GetProperty("participants").EnumerateArray().Any(p => p.GetProperty("id").GetString() == id && match(p));

    /// <summary>Once per portal: Visio on for both ministries, 2 participants per room at the Interior, no guests at Culture.</summary>
    private async Task ArrangeAsync()
    {
        await Arranged.WaitAsync();
        try
        {
            if (!ArrangedHosts.Add(world.Host.BaseUrl))
                return;
            using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
            foreach (var ministry in new[] { "interieur", "culture" })
            {
                var page = await admin.GetAsync($"/admin/m/{ministry}/modules");
                if (page.Document.QuerySelector("select[name='switch:ministry:meetings'] option[selected][value=on]") is null)
                    Assert.Contains("Modifications enregistrées", (await admin.SubmitOnAsync(page, "#module-switches", new Dictionary<string, string> { ["switch:ministry:meetings"] = "on" })).Text);
            }
            var limit = await admin.SubmitAsync("/admin/m/interieur/settings", "#settings-form", new Dictionary<string, string> { ["setting:meetings.max-participants"] = "2" });
            Assert.Equal(HttpStatusCode.OK, limit.Status);
            var guests = await admin.SubmitAsync("/admin/m/culture/settings", "#settings-form", new Dictionary<string, string> { ["setting:meetings.guests-allowed"] = "false" });
            Assert.Equal(HttpStatusCode.OK, guests.Status);
            // A third ministry that never switched Visio on.
            await PortalWorld.CreateMinistryAsync(admin, "Ministère des Armées", "MA", "armees");
            await PortalWorld.CreateDepartmentAsync(admin, "armees", "État-major", "etat-major");
            await PortalWorld.ImportAsync(admin, "armees", "nom;courriel;service\r\nÉric Lenoir;eric@armees.test;etat-major\r\n");
            await world.AcceptInvitationAsync("eric@armees.test");
        }
        finally
        {
            Arranged.Release();
        }
    }

    /// <summary>The room's stored roles (what its settings page lists), read straight from the module's database.</summary>
    private async Task<List<(string Name, string Role)>> StoredRolesAsync(string code)
    {
        using var scope = world.Host.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync();
        var room = await db.Rooms.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Code == code);
        var members = await db.RoomMembers.IgnoreQueryFilters().AsNoTracking().Where(m => m.RoomId == room.Id).ToListAsync();
        return [.. members.OrderBy(m => m.DisplayName, StringComparer.Ordinal).Select(m => (m.DisplayName, m.Role))];
    }

    /// <summary>The call stores roles off its work loop: look again until they match, for a while.</summary>
    private async Task WaitForRolesAsync(string code, List<(string Name, string Role)> expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var roles = await StoredRolesAsync(code);
        while (!roles.SequenceEqual(expected) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            roles = await StoredRolesAsync(code);
        }
        Assert.Equal(expected, roles);
    }

    private static async Task<string> CreateRoomAsync(PortalClient owner, string name, string access)
    {
        var room = await owner.SubmitAsync("/meetings", "#create-room", new Dictionary<string, string> { ["name"] = name, ["access"] = access });
        Assert.StartsWith("/meetings/", room.Path);
        return room.Path["/meetings/".Length..];
    }

    private static async Task<string> TicketAsync(PortalClient person, string code)
    {
        using var answer = await person.RawPostAsync($"/api/meetings/rooms/{code}/ticket");
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.OK, $"No ticket ({answer.StatusCode}): {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("ticket").GetString()!;
    }

    private async Task<SignalClient> JoinAsync(PortalClient person, string code) =>
        await SignalClient.JoinAsync(world.Host.BaseUrl, person.Cookies, await TicketAsync(person, code));
}

/// <summary>A browser's signalling socket, reduced to what the tests need: send, wait for a message type, see it close.</summary>
internal sealed class SignalClient : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _inbox = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly Task _reader;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SignalClient(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = Task.Run(ReadAsync);
    }

    public JsonElement Welcome { get; private set; }

    public string Id => Welcome.GetProperty("self").GetProperty("id").GetString()!;

    public static async Task<SignalClient> ConnectAsync(string baseUrl, CookieContainer? cookies)
    {
        var socket = new ClientWebSocket();
        if (cookies is not null)
            socket.Options.Cookies = cookies;
        await socket.ConnectAsync(new Uri(baseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/api/meetings/call"), CancellationToken.None);
        return new SignalClient(socket);
    }

    public static async Task<SignalClient> JoinAsync(string baseUrl, CookieContainer? cookies, string ticket)
    {
        var client = await ConnectAsync(baseUrl, cookies);
        await client.SendAsync(new { type = "join", ticket, mic = true, camera = true });
        client.Welcome = await client.NextAsync("welcome");
        return client;
    }

    public Task SendAsync(object message) => SendRawAsync(JsonSerializer.Serialize(message));

    public async Task SendRawAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);

    /// <summary>The next message of <paramref name="type"/> (matching <paramref name="match"/>); other messages are skipped.</summary>
    public async Task<JsonElement> NextAsync(string type, Func<JsonElement, bool>? match = null)
    {
        using var timeout = new CancellationTokenSource(Wait);
        try
        {
            while (true)
            {
                var message = await _inbox.Reader.ReadAsync(timeout.Token);
                if (message.GetProperty("type").GetString() == type && (match is null || match(message)))
                    return message;
                if (type != "error" && message.GetProperty("type").GetString() == "error")
                    throw new Xunit.Sdk.XunitException($"Waiting for '{type}', got an error: {message}");
            }
        }
        catch (Exception error) when (error is OperationCanceledException or ChannelClosedException)
        {
            throw new Xunit.Sdk.XunitException($"No '{type}' message within {Wait.TotalSeconds} s; seen: {string.Join(" | ", Seen().Select(m => m.ToString()[..Math.Min(160, m.ToString().Length)]))}");
        }
    }

    public async Task<JsonElement> ExpectErrorAsync(string code, string? about = null)
    {
        var error = await NextAsync("error", e => e.GetProperty("code").GetString() == code);
        if (about is not null)
            Assert.Equal(about, error.GetProperty("about").GetString());
        return error;
    }

    public async Task<bool> ClosedAsync() => await Task.WhenAny(_closed.Task, Task.Delay(Wait)) == _closed.Task;

    /// <summary>Drops the connection without a goodbye, as a lost network does.</summary>
    public void Abort() => _socket.Abort();

    public int Count(string type)
    {
        lock (_seen)
            return _seen.Count(m => m.GetProperty("type").GetString() == type);
    }

    private List<JsonElement> Seen()
    {
        lock (_seen)
            return [.. _seen];
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                    break;
                var element = JsonDocument.Parse(message.ToArray()).RootElement.Clone();
                lock (_seen)
                    _seen.Add(element);
                await _inbox.Writer.WriteAsync(element);
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _closed.TrySetResult();
            _inbox.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException)
            {
            }
        }
        await Task.WhenAny(_reader, Task.Delay(2000));
        _socket.Dispose();
    }
}

public sealed class MeetingsCall_on_sqlite(SqliteWorld world) : MeetingsCallTests<SqliteWorld>(world);

public sealed class MeetingsCall_on_postgresql(PostgresWorld world) : MeetingsCallTests<PostgresWorld>(world);
