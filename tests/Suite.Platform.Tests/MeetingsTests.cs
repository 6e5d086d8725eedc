using System.Net;
using System.Text.RegularExpressions;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>Visio's rooms and lobby over HTTP, as the people of two ministries use them.</summary>
public abstract partial class MeetingsTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : PortalWorld
{
    [Fact]
    public async Task A_member_starts_an_instant_meeting_in_one_click_and_gets_a_short_link()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var room = await alice.SubmitAsync("/meetings", "#instant-meeting", new Dictionary<string, string>());
        Assert.Matches(RoomPath(), room.Path);
        Assert.NotNull(room.Document.QuerySelector("#room-entered"));
        Assert.NotNull(room.Document.QuerySelector("#room-lobby"));
        Assert.EndsWith(room.Path, room.Document.QuerySelector("#room-link")!.TextContent);

        var list = await alice.GetAsync("/meetings");
        Assert.NotNull(list.Document.QuerySelector($"#my-rooms tr[data-code='{room.Path[10..]}']"));
    }

    [Fact]
    public async Task Another_ministry_never_sees_the_room_list_and_waits_in_the_lobby_until_a_host_lets_it_in()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Point hebdomadaire", "trusted");

        using var dora = await world.SignInAsync("dora@interieur.test");
        Assert.NotNull((await dora.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-entered"));

        using var carla = await world.SignInAsync("carla@culture.test");
        var carlaList = await carla.GetAsync("/meetings");
        Assert.DoesNotContain(code, carlaList.Html);
        var outside = await carla.GetAsync("/meetings/" + code);
        Assert.Null(outside.Document.QuerySelector("#room-entered"));
        Assert.Contains("demandez à entrer", outside.Document.QuerySelector("#room-ask")!.TextContent);

        var unreadBefore = await UnreadAsync(alice);
        var waiting = await carla.SubmitOnAsync(outside, "#ask-to-join", new Dictionary<string, string>());
        Assert.Contains("?request=", waiting.Path);
        Assert.Equal("Waiting", waiting.Document.QuerySelector("#lobby-status")!.GetAttribute("data-status"));
        Assert.Equal(unreadBefore + 1, await UnreadAsync(alice));

        var host = await alice.GetAsync("/meetings/" + code);
        var entry = host.Document.QuerySelectorAll("#room-lobby li").Single(li => li.TextContent.Contains("Carla Roux"));
        var admitted = await alice.SubmitOnAsync(host, "#lobby-form", new Dictionary<string, string>(), ("decision", "admit:" + entry.GetAttribute("data-request")));
        Assert.Contains("Décision prise", admitted.Text);
        Assert.Empty(admitted.Document.QuerySelectorAll("#room-lobby li"));

        var inside = await carla.GetAsync(waiting.Path);
        Assert.NotNull(inside.Document.QuerySelector("#room-entered"));
        Assert.Null(inside.Document.QuerySelector("#room-lobby"));
        // Being let in once is not a pass to a room one never asked for.
        Assert.Null((await carla.GetAsync("/meetings/" + await CreateRoomAsync(alice, "Autre salle", "trusted") + waiting.Path[(waiting.Path.IndexOf('?'))..])).Document.QuerySelector("#room-entered"));
    }

    [Fact]
    public async Task In_a_restricted_room_a_colleague_must_ask_and_a_refusal_is_told()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Réunion restreinte", "restricted");
        using var dora = await world.SignInAsync("dora@interieur.test");
        var page = await dora.GetAsync("/meetings/" + code);
        Assert.Contains("restreinte", page.Document.QuerySelector("#room-ask")!.TextContent);
        var waiting = await dora.SubmitOnAsync(page, "#ask-to-join", new Dictionary<string, string>());

        var host = await alice.GetAsync("/meetings/" + code);
        await alice.SubmitOnAsync(host, "#lobby-form", new Dictionary<string, string>(), ("decision", "deny-all"));
        var refused = await dora.GetAsync(waiting.Path);
        Assert.Equal("Denied", refused.Document.QuerySelector("#lobby-status")!.GetAttribute("data-status"));
        Assert.Null(refused.Document.QuerySelector("#room-entered"));
    }

    [Fact]
    public async Task Only_the_rooms_hosts_decide_its_lobby_and_access_level_even_through_forged_posts()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Réunion gardée", "restricted");
        using var dora = await world.SignInAsync("dora@interieur.test");
        var waiting = await dora.SubmitOnAsync(await dora.GetAsync("/meetings/" + code), "#ask-to-join", new Dictionary<string, string>());
        Assert.Equal("Waiting", waiting.Document.QuerySelector("#lobby-status")!.GetAttribute("data-status"));

        using var bob = await world.SignInAsync("bob@interieur.test");
        using var carla = await world.SignInAsync("carla@culture.test");
        foreach (var (who, client) in new[] { ("colleague", bob), ("other ministry", carla) })
        {
            var room = await client.GetAsync("/meetings/" + code);
            Assert.Null(room.Document.QuerySelector("#room-lobby"));
            Assert.Null(room.Document.QuerySelector("#lobby-form"));
            Assert.Null(room.Document.QuerySelector("#room-access-form"));
            // Their own page's antiforgery token, posted to the room's lobby and access forms.
            var own = await client.GetAsync("/meetings");
            foreach (var fields in new[]
            {
                new Dictionary<string, string> { ["_handler"] = "lobby", ["decision"] = "admit-all" },
                new Dictionary<string, string> { ["_handler"] = "room-access", ["access"] = "public" },
            })
            {
                var forged = await client.SubmitOnAsync(own with { Path = "/meetings/" + code }, "#instant-meeting", fields);
                Assert.True(forged.Document.QuerySelector("#room-entered") is null, $"A forged post of the {who} entered the room ({fields["_handler"]}).");
            }
        }
        Assert.Equal("Waiting", (await dora.GetAsync(waiting.Path)).Document.QuerySelector("#lobby-status")!.GetAttribute("data-status"));
        Assert.Contains("restreinte", (await carla.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-ask")!.TextContent);
        var host = await alice.GetAsync("/meetings/" + code);
        Assert.Single(host.Document.QuerySelectorAll("#room-lobby li"), li => li.TextContent.Contains("Dora Petit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_owner_changes_the_access_level_and_it_applies_to_the_next_visitor()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Ouverte ensuite", "restricted");
        var room = await alice.GetAsync("/meetings/" + code);
        var changed = await alice.SubmitOnAsync(room, "#room-access-form", new Dictionary<string, string> { ["access"] = "public" });
        Assert.Contains("Niveau d'accès modifié", changed.Text);
        using var carla = await world.SignInAsync("carla@culture.test");
        Assert.NotNull((await carla.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-entered"));
        Assert.Null((await carla.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-access-form"));
    }

    [Fact]
    public async Task An_unknown_or_malformed_link_is_a_friendly_not_found_page_and_bad_forms_keep_what_was_typed()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        foreach (var path in new[] { "/meetings/abc-defg-hjk", "/meetings/not-a-code", "/meetings/zzz-zzzz-zzz" })
        {
            var page = await alice.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, page.Status);
            // The page's own friendly text, inside the portal's layout — not an empty body.
            Assert.Equal("Salle introuvable", page.Document.QuerySelector("h1")?.TextContent);
            Assert.Contains("Vérifiez le code", page.Text);
            Assert.NotNull(page.Document.QuerySelector("a[href='/meetings']"));
        }
        var noName = await alice.SubmitAsync("/meetings", "#create-room", new Dictionary<string, string> { ["name"] = "  ", ["access"] = "trusted" });
        Assert.NotNull(noName.Document.QuerySelector("#room-name-error"));
        var badCode = await alice.SubmitAsync("/meetings", "#join-room", new Dictionary<string, string> { ["code"] = "zz" });
        Assert.Equal("zz", badCode.Document.QuerySelector("#join-code")!.GetAttribute("value"));
        Assert.Contains("10 lettres", badCode.Document.QuerySelector("#join-code-error")!.TextContent);
        var pasted = await alice.SubmitAsync("/meetings", "#join-room", new Dictionary<string, string> { ["code"] = " ABC DEFG HJK " });
        Assert.Equal("/meetings/abc-defg-hjk", pasted.Path);
    }

    private async Task EnableMeetingsAsync()
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        foreach (var ministry in new[] { "interieur", "culture" })
        {
            var page = await admin.GetAsync($"/admin/m/{ministry}/modules");
            if (page.Document.QuerySelector("select[name='switch:ministry:meetings'] option[selected][value=on]") is not null)
                continue;
            var saved = await admin.SubmitOnAsync(page, "#module-switches", new Dictionary<string, string> { ["switch:ministry:meetings"] = "on" });
            Assert.Contains("Modifications enregistrées", saved.Text);
        }
    }

    private static async Task<string> CreateRoomAsync(PortalClient owner, string name, string access)
    {
        var room = await owner.SubmitAsync("/meetings", "#create-room", new Dictionary<string, string> { ["name"] = name, ["access"] = access });
        Assert.Matches(RoomPath(), room.Path);
        return room.Path["/meetings/".Length..];
    }

    private static async Task<int> UnreadAsync(PortalClient client) =>
        int.Parse((await client.GetAsync("/")).Document.QuerySelector("#notifications-unread")!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);

    [GeneratedRegex("^/meetings/[a-z]{3}-[a-z]{4}-[a-z]{3}$")]
    private static partial Regex RoomPath();
}

public sealed class Meetings_on_sqlite(SqliteWorld world) : MeetingsTests<SqliteWorld>(world);

public sealed class Meetings_on_postgresql(PostgresWorld world) : MeetingsTests<PostgresWorld>(world);
