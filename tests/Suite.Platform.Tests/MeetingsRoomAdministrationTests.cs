using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Jobs;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Data;
using Suite.Meetings.Features.History;
using Suite.Meetings.Jobs;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>A room's settings, roles, email invitations, history and the idle-room job, as owners, administrators,
/// members, colleagues and people of another ministry meet them — on each database.</summary>
public abstract partial class MeetingsTests<TWorld>
{
    [Fact]
    public async Task The_owner_sets_the_room_switches_and_keeps_the_room_and_the_change_is_audited()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var instant = await alice.SubmitAsync("/meetings", "#instant-meeting", new Dictionary<string, string>());
        var code = instant.Path["/meetings/".Length..];
        Assert.Equal($"/meetings/{code}/settings", instant.Document.QuerySelector("#room-settings-link")!.GetAttribute("href"));

        var settings = await alice.GetAsync($"/meetings/{code}/settings");
        Assert.Equal(HttpStatusCode.OK, settings.Status);
        Assert.False(settings.Document.QuerySelector("#options-keep")!.HasAttribute("checked"));
        foreach (var id in new[] { "#options-unmute", "#options-screen", "#options-chat" })
            Assert.True(settings.Document.QuerySelector(id)!.HasAttribute("checked"), id + " should start on");
        // Every control has its label.
        foreach (var input in settings.Document.QuerySelectorAll("#room-options input:not([type=hidden]), #room-options select, #room-invite input:not([type=hidden]), #room-invite textarea"))
            Assert.NotNull(settings.Document.QuerySelector($"label[for='{input.Id}']"));

        var saved = await alice.SubmitOnAsync(settings, "#room-options", new Dictionary<string, string>
        {
            ["name"] = "Cellule de crise", ["access"] = "restricted", ["keep"] = "on", ["chat"] = "on",
        });
        Assert.Contains("Paramètres de la salle enregistrés", saved.Text);
        Assert.True(saved.Document.QuerySelector("#options-keep")!.HasAttribute("checked"));
        Assert.False(saved.Document.QuerySelector("#options-unmute")!.HasAttribute("checked"));
        Assert.False(saved.Document.QuerySelector("#options-screen")!.HasAttribute("checked"));
        Assert.True(saved.Document.QuerySelector("#options-chat")!.HasAttribute("checked"));

        var room = await RoomRowAsync(code);
        Assert.Equal(("Cellule de crise", "restricted", false, false, false, true), (room.Name, room.AccessLevel, room.IsInstant, room.AllowSelfUnmute, room.AllowScreenShare, room.AllowChat));

        var refused = await alice.SubmitOnAsync(saved, "#room-options", new Dictionary<string, string> { ["name"] = " ", ["access"] = "nowhere", ["keep"] = "on" });
        Assert.NotNull(refused.Document.QuerySelector("#options-name-error"));
        Assert.NotNull(refused.Document.QuerySelector("#options-access-error"));
        Assert.Equal("Cellule de crise", (await RoomRowAsync(code)).Name);

        var history = await alice.GetAsync($"/meetings/{code}/history");
        Assert.Contains("restricted", history.Document.QuerySelector("#room-events tr[data-action='room.settings']")!.TextContent);
    }

    [Fact]
    public async Task Nobody_but_the_room_managers_of_its_ministry_reaches_its_settings_and_only_its_owner_its_history()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Comité de direction", "public");
        await alice.GetAsync("/meetings/" + code);
        var aliceSettings = await alice.GetAsync($"/meetings/{code}/settings");

        using var dora = await world.SignInAsync("dora@interieur.test");
        using var carla = await world.SignInAsync("carla@culture.test");
        foreach (var (who, client) in new[] { ("colleague", dora), ("other ministry", carla) })
        {
            Assert.NotNull((await client.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-entered"));
            foreach (var page in new[] { "settings", "history" })
            {
                var refused = await client.GetAsync($"/meetings/{code}/{page}");
                Assert.True(refused.Status == HttpStatusCode.NotFound, $"{who} got {refused.Status} on {page}");
                Assert.Equal("Salle introuvable", refused.Document.QuerySelector("h1")?.TextContent);
                Assert.Null(refused.Document.QuerySelector("#room-options"));
                Assert.DoesNotContain("Comité de direction", refused.Text);
            }
            // A forged post (with the owner's form, on the refusing page) changes nothing.
            var forged = await client.SubmitOnAsync(aliceSettings, "#room-options", new Dictionary<string, string> { ["name"] = "Piraté", ["access"] = "public", ["keep"] = "on" });
            Assert.NotEqual(HttpStatusCode.OK, forged.Status);
            Assert.Equal("Comité de direction", (await RoomRowAsync(code)).Name);
            Assert.Null((await client.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-access-form"));
        }
        Assert.DoesNotContain(code, (await carla.GetAsync("/meetings")).Html);
    }

    [Fact]
    public async Task An_invited_person_enters_a_restricted_room_and_can_be_made_administrator_but_a_member_cannot_promote()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Réunion sur invitation", "restricted");
        using var bob = await world.SignInAsync("bob@interieur.test");
        Assert.NotNull((await bob.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-ask"));

        var settings = await alice.GetAsync($"/meetings/{code}/settings");
        var invited = await alice.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string>
        {
            ["emails"] = "Bob@interieur.test,\ncarla@culture.test", ["date"] = "", ["time"] = "", ["duration"] = "",
        });
        Assert.Contains("2 invitations envoyées", invited.Text);
        Assert.Equal(["bob@interieur.test", "carla@culture.test"], invited.Document.QuerySelectorAll("#pending-invitations li").Select(li => li.GetAttribute("data-email")));
        Assert.Equal("/meetings/" + code, Outbox.LinkFor(world.Host.Outbox, "bob@interieur.test", "/meetings/"));
        Assert.Equal("/meetings/" + code, Outbox.LinkFor(world.Host.Outbox, "carla@culture.test", "/meetings/"));

        // The invited colleague now enters without asking, and is listed as a member.
        Assert.NotNull((await bob.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-entered"));
        using var carla = await world.SignInAsync("carla@culture.test");
        Assert.NotNull((await carla.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-entered"));
        // An uninvited colleague still has to ask.
        using var dora = await world.SignInAsync("dora@interieur.test");
        Assert.NotNull((await dora.GetAsync("/meetings/" + code)).Document.QuerySelector("#room-ask"));

        var members = await alice.GetAsync($"/meetings/{code}/settings");
        Assert.Empty(members.Document.QuerySelectorAll("#pending-invitations li"));
        var bobRow = members.Document.QuerySelectorAll("#room-members tr[data-user]").Single(tr => tr.TextContent.Contains("Bob Durand"));
        Assert.Equal("member", bobRow.GetAttribute("data-role"));
        var carlaRow = members.Document.QuerySelectorAll("#room-members tr[data-user]").Single(tr => tr.TextContent.Contains("Carla Roux"));

        // A member cannot promote anyone, not even through a forged post.
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/meetings/{code}/settings")).Status);
        var bobHome = await bob.GetAsync("/meetings");
        var forgedRole = await bob.SubmitOnAsync(bobHome with { Path = $"/meetings/{code}/settings" }, "#instant-meeting",
            new Dictionary<string, string> { ["_handler"] = "room-roles", ["role"] = "administrator:" + bobRow.GetAttribute("data-user") });
        Assert.NotEqual(HttpStatusCode.OK, forgedRole.Status);
        var bobMember = await RoleAsync(code, "Bob Durand");
        Assert.Equal("member", bobMember.Role);
        using (var scope = world.Host.Services.CreateScope())
        {
            // The rule holds below the page too: the room directory itself refuses a member's promotion.
            var room = await RoomRowAsync(code);
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(new TenantScope(bobMember.UserId, room.TenantId, null, [], Suite.Kernel.Authorization.SuiteRole.Member, [], "Bob Durand"));
            var directory = scope.ServiceProvider.GetRequiredService<Suite.Meetings.Features.Rooms.RoomDirectory>();
            var card = (await directory.FindAsync(code))!;
            Assert.False(await directory.ChangeRoleAsync(card, bobMember.UserId, "administrator"));
            Assert.False(await directory.ChangeRoleAsync(card, room.OwnerId, "member"));
            Assert.Null(await directory.MembersAsync(card));
            Assert.NotEmpty((await directory.ChangeOptionsAsync(card, new("Piraté", "public", false, true, true, true))));
        }
        Assert.Equal("member", (await RoleAsync(code, "Bob Durand")).Role);

        var promoted = await alice.SubmitOnAsync(members, "#room-roles", new Dictionary<string, string>(), ("role", "administrator:" + bobRow.GetAttribute("data-user")));
        Assert.Contains("Rôle modifié", promoted.Text);
        Assert.Equal("administrator", promoted.Document.QuerySelector($"#room-members tr[data-user='{bobRow.GetAttribute("data-user")}']")!.GetAttribute("data-role"));
        // Now an administrator, Bob manages the room's settings — but never its owner, and he sees no history.
        var bobSettings = await bob.GetAsync($"/meetings/{code}/settings");
        Assert.Equal(HttpStatusCode.OK, bobSettings.Status);
        Assert.Empty(bobSettings.Document.QuerySelectorAll("#room-members tr[data-role='owner'] button"));
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync($"/meetings/{code}/history")).Status);
        var changed = await bob.SubmitOnAsync(bobSettings, "#room-options", new Dictionary<string, string> { ["name"] = "Réunion sur invitation", ["access"] = "trusted", ["keep"] = "on", ["unmute"] = "on" });
        Assert.Contains("Paramètres de la salle enregistrés", changed.Text);
        Assert.Equal("trusted", (await RoomRowAsync(code)).AccessLevel);

        // An administrator from another ministry still never changes the room.
        await alice.SubmitOnAsync(await alice.GetAsync($"/meetings/{code}/settings"), "#room-roles", new Dictionary<string, string>(), ("role", "administrator:" + carlaRow.GetAttribute("data-user")));
        Assert.Equal("administrator", (await RoleAsync(code, "Carla Roux")).Role);
        Assert.Equal(HttpStatusCode.NotFound, (await carla.GetAsync($"/meetings/{code}/settings")).Status);
        await carla.SubmitOnAsync(changed, "#room-options", new Dictionary<string, string> { ["name"] = "Piraté", ["access"] = "public", ["keep"] = "on" });
        Assert.Equal("Réunion sur invitation", (await RoomRowAsync(code)).Name);

        var audit = await alice.GetAsync($"/meetings/{code}/history");
        Assert.Contains("bob@interieur.test", audit.Document.QuerySelector("#room-events tr[data-action='room.invited']")!.TextContent);
        var roles = audit.Document.QuerySelectorAll("#room-events tr[data-action='room.role']").Select(tr => tr.TextContent).ToList();
        Assert.Contains(roles, r => r.Contains("Bob Durand: member → Bob Durand: administrator", StringComparison.Ordinal) && r.Contains("Alice Martin", StringComparison.Ordinal));
        Assert.Contains(roles, r => r.Contains("Carla Roux: administrator", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_invitation_form_names_each_mistake_and_keeps_what_was_typed()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Formulaire", "trusted");
        var settings = await alice.GetAsync($"/meetings/{code}/settings");

        var badAddress = await alice.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = "bob@interieur.test, bob-at-home", ["date"] = "", ["time"] = "", ["duration"] = "" });
        Assert.Contains("« bob-at-home » n'est pas une adresse électronique valide", badAddress.Document.QuerySelector("#invite-emails-error")!.TextContent);
        Assert.Equal("bob@interieur.test, bob-at-home", badAddress.Document.QuerySelector("#invite-emails")!.TextContent);
        Assert.Equal("invite-emails-error", badAddress.Document.QuerySelector("#invite-emails")!.GetAttribute("aria-describedby"));

        var empty = await alice.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = " ", ["date"] = "", ["time"] = "", ["duration"] = "" });
        Assert.Contains("au moins une adresse", empty.Document.QuerySelector("#invite-emails-error")!.TextContent);

        var past = await alice.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = "bob@interieur.test", ["date"] = "2020-01-06", ["time"] = "10:00", ["duration"] = "30" });
        Assert.Contains("déjà passée", past.Document.QuerySelector("#invite-date-error")!.TextContent);
        Assert.Equal("2020-01-06", past.Document.QuerySelector("#invite-date")!.GetAttribute("value"));

        var tooMany = string.Join(",", Enumerable.Range(1, 21).Select(i => $"agent{i}@interieur.test"));
        var many = await alice.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = tooMany, ["date"] = "", ["time"] = "", ["duration"] = "" });
        Assert.Contains("20 adresses au plus", many.Document.QuerySelector("#invite-emails-error")!.TextContent);
        Assert.Empty(many.Document.QuerySelectorAll("#pending-invitations li"));
    }

    [Fact]
    public async Task Invitations_are_rate_limited_per_inviting_person()
    {
        await EnableMeetingsAsync();
        using var dora = await world.SignInAsync("dora@interieur.test");
        var code = await CreateRoomAsync(dora, "Grande diffusion", "public");
        var settings = await dora.GetAsync($"/meetings/{code}/settings");
        string Batch(int from) => string.Join("\n", Enumerable.Range(from, 20).Select(i => $"diffusion{i}@interieur.test"));
        Assert.Contains("20 invitations envoyées", (await dora.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = Batch(0), ["date"] = "", ["time"] = "", ["duration"] = "" })).Text);
        Assert.Contains("20 invitations envoyées", (await dora.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = Batch(20), ["date"] = "", ["time"] = "", ["duration"] = "" })).Text);
        var limited = await dora.SubmitOnAsync(settings, "#room-invite", new Dictionary<string, string> { ["emails"] = Batch(40), ["date"] = "", ["time"] = "", ["duration"] = "" });
        Assert.Contains("Trop d'invitations envoyées", limited.Text);
        Assert.Throws<InvalidOperationException>(() => Outbox.LinkFor(world.Host.Outbox, "diffusion45@interieur.test", "/meetings/"));
    }

    [Fact]
    public async Task The_owner_sees_who_joined_each_meeting_and_for_how_long_and_guests_are_named()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var code = await CreateRoomAsync(alice, "Réunion suivie", "public");
        var room = await RoomRowAsync(code);
        Assert.Contains("Aucune réunion", (await alice.GetAsync($"/meetings/{code}/history")).Text);

        // What the in-call signalling does when people arrive and leave: a guest (no ministry) and a colleague.
        Guid guest, colleague;
        using (var scope = world.Host.Services.CreateScope())
        {
            var history = scope.ServiceProvider.GetRequiredService<MeetingHistory>();
            guest = await history.RecordJoinedAsync(room.Id, null, "Paul Invité", CancellationToken.None);
            colleague = await history.RecordJoinedAsync(room.Id, Guid.NewGuid(), "Dora Petit", CancellationToken.None);
            await history.RecordLeftAsync(guest, CancellationToken.None);
            await history.RecordLeftAsync(guest, CancellationToken.None);
        }
        var during = await alice.GetAsync($"/meetings/{code}/history");
        var meeting = Assert.Single(during.Document.QuerySelectorAll("#meeting-history > li"));
        Assert.Contains("En cours", meeting.TextContent);
        Assert.Equal("true", meeting.QuerySelector("tr[data-person='Paul Invité']")!.GetAttribute("data-guest"));
        Assert.Contains("encore présent", meeting.QuerySelector("tr[data-person='Dora Petit']")!.TextContent);

        using (var scope = world.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<MeetingHistory>().RecordLeftAsync(colleague, CancellationToken.None);
        var after = await alice.GetAsync($"/meetings/{code}/history");
        Assert.Contains("Terminée", Assert.Single(after.Document.QuerySelectorAll("#meeting-history > li")).TextContent);

        // A new arrival opens a second meeting.
        using (var scope = world.Host.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<MeetingHistory>().RecordJoinedAsync(room.Id, null, "Paul Invité", CancellationToken.None);
        Assert.Equal(2, (await alice.GetAsync($"/meetings/{code}/history")).Document.QuerySelectorAll("#meeting-history > li").Length);

        using var carla = await world.SignInAsync("carla@culture.test");
        Assert.Equal(HttpStatusCode.NotFound, (await carla.GetAsync($"/meetings/{code}/history")).Status);
        Assert.DoesNotContain("Paul Invité", (await carla.GetAsync($"/meetings/{code}/history")).Text);

        // A guest (not signed in) is sent to sign in, and the history service answers nothing without the owner.
        using var guestClient = new PortalClient(world.Host.BaseUrl);
        var anonymous = await guestClient.GetAsync($"/meetings/{code}/history");
        Assert.StartsWith("/account/login", anonymous.Path, StringComparison.Ordinal);
        Assert.DoesNotContain("Paul Invité", anonymous.Text);
        using (var scope = world.Host.Services.CreateScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<Suite.Meetings.Features.Rooms.RoomDirectory>();
            Assert.Null(await scope.ServiceProvider.GetRequiredService<MeetingHistory>().ForOwnerAsync((await directory.FindAsync(code))!));
        }
    }

    [Fact]
    public async Task The_idle_room_job_closes_instant_rooms_left_unused_in_its_own_ministry_only()
    {
        await EnableMeetingsAsync();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var idle = (await alice.SubmitAsync("/meetings", "#instant-meeting", new Dictionary<string, string>())).Path["/meetings/".Length..];
        var busy = (await alice.SubmitAsync("/meetings", "#instant-meeting", new Dictionary<string, string>())).Path["/meetings/".Length..];
        var kept = await CreateRoomAsync(alice, "Salle permanente", "trusted");
        var recent = (await alice.SubmitAsync("/meetings", "#instant-meeting", new Dictionary<string, string>())).Path["/meetings/".Length..];
        foreach (var code in new[] { idle, busy, kept })
            await AgeAsync(code, TimeSpan.FromHours(30));
        var tenant = (await RoomRowAsync(idle)).TenantId;
        using (var scope = world.Host.Services.CreateScope())
        {
            // Someone still in the call keeps a room open, however old its last change.
            var visits = scope.ServiceProvider.GetRequiredService<MeetingHistory>();
            await visits.RecordJoinedAsync((await RoomRowAsync(busy)).Id, null, "Toujours là", CancellationToken.None);
            await AgeAsync(busy, TimeSpan.FromHours(30));
            await visits.RecordLeftAsync(await visits.RecordJoinedAsync((await RoomRowAsync(idle)).Id, null, "Parti", CancellationToken.None), CancellationToken.None);
            await AgeAsync(idle, TimeSpan.FromHours(30));
        }

        // Run for the other ministry first: nothing of this one moves.
        var culture = await OtherTenantAsync(tenant);
        await RunIdleJobAsync(culture);
        Assert.Null((await RoomRowAsync(idle)).ClosedAt);
        await RunIdleJobAsync(tenant);

        Assert.NotNull((await RoomRowAsync(idle)).ClosedAt);
        Assert.Null((await RoomRowAsync(busy)).ClosedAt);
        Assert.Null((await RoomRowAsync(kept)).ClosedAt);
        Assert.Null((await RoomRowAsync(recent)).ClosedAt);

        var closed = await alice.GetAsync("/meetings/" + idle);
        Assert.Equal(HttpStatusCode.Gone, closed.Status);
        Assert.Equal("Réunion terminée", closed.Document.QuerySelector("h1")?.TextContent);
        Assert.Contains("Terminée", (await alice.GetAsync("/meetings")).Document.QuerySelector($"#my-rooms tr[data-code='{idle}']")!.TextContent);
        var history = await alice.GetAsync($"/meetings/{idle}/history");
        Assert.Equal(HttpStatusCode.OK, history.Status);
        Assert.NotNull(history.Document.QuerySelector("#room-events tr[data-action='room.closed-idle']"));
        Assert.Contains("Parti", history.Text);
        Assert.NotNull((await alice.GetAsync("/meetings/" + kept)).Document.QuerySelector("#room-entered"));
    }

    private async Task RunIdleJobAsync(Guid tenantId)
    {
        using var scope = world.Host.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(tenantId));
        await scope.ServiceProvider.GetRequiredService<CloseIdleRooms>().ExecuteAsync(new JobContext(tenantId, null, 1), CancellationToken.None);
    }

    /// <summary>Reads a room straight from the module's database, across ministries (test inspection only).</summary>
    private async Task<Room> RoomRowAsync(string code)
    {
        using var scope = world.Host.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync();
        return await db.Rooms.IgnoreQueryFilters().AsNoTracking().SingleAsync(r => r.Code == code);
    }

    private async Task<RoomMember> RoleAsync(string code, string displayName)
    {
        var room = await RoomRowAsync(code);
        using var scope = world.Host.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync();
        return await db.RoomMembers.IgnoreQueryFilters().AsNoTracking().SingleAsync(m => m.RoomId == room.Id && m.DisplayName == displayName);
    }

    private async Task AgeAsync(string code, TimeSpan age)
    {
        using var scope = world.Host.Services.CreateScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync();
        var then = DateTimeOffset.UtcNow - age;
        await db.Rooms.IgnoreQueryFilters().Where(r => r.Code == code).ExecuteUpdateAsync(u => u.SetProperty(r => r.LastActivityAt, then));
    }

    private async Task<Guid> OtherTenantAsync(Guid tenantId)
    {
        using var carla = await world.SignInAsync("carla@culture.test");
        var code = await CreateRoomAsync(carla, "Salle de la Culture", "trusted");
        var other = (await RoomRowAsync(code)).TenantId;
        Assert.NotEqual(tenantId, other);
        return other;
    }
}
