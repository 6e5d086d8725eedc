using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Suite.Meetings.Data;
using Suite.Meetings.Features.History;
using Suite.Meetings.Features.Lobby;
using Suite.Meetings.Features.Rooms;
using Suite.Meetings.Pages;

namespace Suite.Meetings.Tests;

/// <summary>The room's UI state as people see it: who gets which moderation button, how the history reads, what the
/// waiting page says — rendered with bunit, in French (the default language).</summary>
public sealed class RoomComponentTests : IDisposable
{
    private readonly BunitContext _context = new();
    private readonly CultureInfo _culture = CultureInfo.CurrentUICulture;
    private readonly CultureInfo _formatCulture = CultureInfo.CurrentCulture;

    public RoomComponentTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("fr");
        _context.Services.AddLocalization(options => options.ResourcesPath = "Resources");
    }

    /// <summary>The waiting page is an interactive island (it listens to the lobby while the person waits).</summary>
    private IRenderedComponent<LobbyWaiting> RenderWaiting(Lobby lobby, Guid requestId)
    {
        _context.Services.AddSingleton(lobby);
        _context.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return _context.Render<LobbyWaiting>(p => p.Add(w => w.RequestId, requestId).Add(w => w.RoomCode, "abc-defg-hjk"));
    }

    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly Guid Admin = Guid.NewGuid();
    private static readonly Guid Member = Guid.NewGuid();

    private static readonly IReadOnlyList<RoomMemberRow> Members =
    [
        new(Owner, "Alice Martin", RoomRoles.Owner),
        new(Admin, "Bob Durand", RoomRoles.Administrator),
        new(Member, "Dora Petit", RoomRoles.Member),
    ];

    [Fact]
    public void A_manager_can_promote_a_member_and_demote_an_administrator_but_never_touch_the_owner()
    {
        var table = _context.Render<RoomMembersTable>(p => p.Add(t => t.Members, Members).Add(t => t.CanManage, true).Add(t => t.CurrentUserId, Owner));

        var promote = table.Find($"tr[data-user='{Member}'] button");
        Assert.Equal("administrator:" + Member, promote.GetAttribute("value"));
        Assert.Equal("Nommer Dora Petit administrateur", promote.GetAttribute("aria-label"));
        var demote = table.Find($"tr[data-user='{Admin}'] button");
        Assert.Equal("member:" + Admin, demote.GetAttribute("value"));
        Assert.Empty(table.FindAll($"tr[data-user='{Owner}'] button"));
        Assert.Equal("Propriétaire", table.Find($"tr[data-user='{Owner}'] td:nth-child(2)").TextContent);
        Assert.All(table.FindAll("button"), b => Assert.Equal("submit", b.GetAttribute("type")));
    }

    [Fact]
    public void An_administrator_gets_no_button_for_their_own_role()
    {
        var table = _context.Render<RoomMembersTable>(p => p.Add(t => t.Members, Members).Add(t => t.CanManage, true).Add(t => t.CurrentUserId, Admin));
        Assert.Empty(table.FindAll($"tr[data-user='{Admin}'] button"));
        Assert.Single(table.FindAll($"tr[data-user='{Member}'] button"));
    }

    [Fact]
    public void Someone_who_may_not_manage_the_room_sees_roles_without_any_action()
    {
        var table = _context.Render<RoomMembersTable>(p => p.Add(t => t.Members, Members).Add(t => t.CanManage, false).Add(t => t.CurrentUserId, Member));
        Assert.Empty(table.FindAll("button"));
        Assert.Equal(2, table.FindAll("th").Count);
        Assert.Equal(3, table.FindAll("tbody tr").Count);
    }

    [Fact]
    public void An_empty_member_list_says_so()
    {
        var table = _context.Render<RoomMembersTable>(p => p.Add(t => t.Members, []).Add(t => t.CanManage, true));
        Assert.Contains("Aucun membre", table.Find("[role=status]").TextContent);
    }

    [Fact]
    public void The_history_shows_each_meeting_with_the_time_each_person_stayed()
    {
        var start = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
        var session = Guid.NewGuid();
        var attendances = new[]
        {
            Attendance(session, "Alice Martin", Owner, start, start.AddMinutes(65)),
            Attendance(session, "Invité Paul", null, start.AddMinutes(5), start.AddMinutes(20)),
            Attendance(session, "Invité Paul", null, start.AddMinutes(30), start.AddMinutes(40)),
            Attendance(session, "Bob Durand", Admin, start.AddMinutes(10), null),
        };
        var meetings = new List<MeetingRecord>
        {
            new(session, start, null, null, MeetingHistory.Summarise(attendances, start.AddMinutes(70))),
            new(Guid.NewGuid(), start.AddDays(-1), start.AddDays(-1).AddMinutes(30), MeetingHistory.EndedIdleClosed, []),
        };
        var list = _context.Render<MeetingHistoryList>(p => p.Add(l => l.Meetings, meetings));

        var rows = list.FindAll($"li[data-meeting='{session}'] tbody tr");
        Assert.Equal(["Alice Martin", "Invité Paul", "Bob Durand"], rows.Select(r => r.GetAttribute("data-person")));
        Assert.Equal("3900", rows[0].GetAttribute("data-seconds"));
        Assert.Contains("1 h 05 min", rows[0].TextContent);
        Assert.Equal("true", rows[1].GetAttribute("data-guest"));
        Assert.Contains("25 min", rows[1].TextContent);
        Assert.Contains("2 passages", rows[1].TextContent);
        Assert.Contains("encore présent", rows[2].TextContent);
        Assert.Contains("En cours", list.Find($"li[data-meeting='{session}'] p").TextContent);
        Assert.Contains("fermée faute d'activité", list.FindAll("li[data-meeting] p")[1].TextContent);
    }

    [Fact]
    public void A_room_without_meetings_says_so()
    {
        var list = _context.Render<MeetingHistoryList>(p => p.Add(l => l.Meetings, []));
        Assert.Contains("Aucune réunion", list.Markup);
    }

    [Theory]
    [InlineData(null, "Waiting", "transmise aux organisateurs")]
    [InlineData(true, "Admitted", "vous a fait entrer")]
    [InlineData(false, "Denied", "a refusé votre demande")]
    public void The_waiting_page_tells_the_visitor_where_their_request_stands(bool? admitted, string status, string text)
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var lobby = new Lobby(clock);
        var room = Guid.NewGuid();
        var request = lobby.Ask(room, Guid.NewGuid(), "Carla Roux", null, TimeSpan.FromMinutes(10));
        if (admitted is { } admit)
            lobby.Decide(room, request.Id, admit);

        var page = RenderWaiting(lobby, request.Id);
        var state = page.Find("#lobby-status");
        Assert.Equal(status, state.GetAttribute("data-status"));
        Assert.Contains(text, state.TextContent);
        Assert.Equal("polite", state.GetAttribute("aria-live"));
        if (admitted == true)
            Assert.Equal($"/meetings/abc-defg-hjk?request={request.Id}", page.Find("#lobby-enter").GetAttribute("href"));
        else
            Assert.Empty(page.FindAll("#lobby-enter"));
    }

    [Fact]
    public void The_waiting_page_updates_as_soon_as_a_host_decides()
    {
        var lobby = new Lobby(new ManualClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        var room = Guid.NewGuid();
        var request = lobby.Ask(room, Guid.NewGuid(), "Carla Roux", null, TimeSpan.FromMinutes(10));
        var page = RenderWaiting(lobby, request.Id);
        Assert.Equal("Waiting", page.Find("#lobby-status").GetAttribute("data-status"));

        Assert.True(lobby.Decide(room, request.Id, admit: true));
        page.WaitForAssertion(() => Assert.Equal("Admitted", page.Find("#lobby-status").GetAttribute("data-status")), TimeSpan.FromSeconds(5));
        Assert.NotNull(page.Find("#lobby-enter"));
    }

    [Fact]
    public void A_request_left_unanswered_expires_on_the_waiting_page()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var lobby = new Lobby(clock);
        var request = lobby.Ask(Guid.NewGuid(), Guid.NewGuid(), "Carla Roux", null, TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromMinutes(11));
        var page = RenderWaiting(lobby, request.Id);
        Assert.Equal("Expired", page.Find("#lobby-status").GetAttribute("data-status"));
    }

    private static MeetingAttendance Attendance(Guid session, string name, Guid? user, DateTimeOffset joined, DateTimeOffset? left) =>
        new() { Id = Guid.NewGuid(), SessionId = session, DisplayName = name, UserId = user, JoinedAt = joined, LeftAt = left };

    public void Dispose()
    {
        _context.Dispose();
        CultureInfo.CurrentUICulture = _culture;
        CultureInfo.CurrentCulture = _formatCulture;
    }
}

/// <summary>A clock the test moves by hand.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
