using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Modules;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
using Suite.Meetings.Features.Lobby;
using Suite.Meetings.Features.Rooms;

namespace Suite.Meetings.Features.Call;

/// <summary>What the call needs to know of a room, whichever ministry the visitor comes from.</summary>
internal sealed record CallRoomInfo(Guid Id, Guid TenantId, Guid? DepartmentId, string Code, string Name, string AccessLevel, Guid OwnerId,
    bool MayUnmute, bool MayShareScreen, bool MayChat)
{
    public RoomCard Card => new(Id, TenantId, Code, Name, AccessLevel, OwnerId);
}

internal enum CallEntryStatus
{
    /// <summary>A ticket for the signalling socket was issued.</summary>
    Ticket,
    /// <summary>In the lobby: a host must let them in.</summary>
    Waiting,
    Refused,
    Full,
    /// <summary>Meetings is not switched on (for the room's ministry, or for the visitor's department).</summary>
    Unavailable,
    GuestsNotAllowed,
    InvalidName,
}

internal sealed record CallEntryResult(CallEntryStatus Status, string? Ticket = null, Guid? RequestId = null, string? Role = null);

/// <summary>The in-call identity the socket accepted: who, with which role in this room.</summary>
internal sealed record CallAdmission(CallRoomInfo Room, CallTicket Ticket, string Role);

/// <summary>
/// The one place that decides who enters a call: the module gate (the room's ministry and the visitor's department),
/// the room's access level (<see cref="RoomAccess"/>), the lobby, the guests setting and the participant limit. The
/// pages ask it before showing the pre-join screen, and the signalling socket asks it again when the ticket arrives,
/// so a ticket never outlives a change of access level, a switched-off module or a removal.
/// </summary>
internal sealed class CallEntry(IDbContextFactory<MeetingsDbContext> contexts, ITenantContext me, ISettingProvider settings, IModuleGate gate,
    Features.Lobby.Lobby lobby, LobbyNotifier hosts, CallTickets tickets, CallRooms calls)
{
    public const string GuestRole = "guest";
    public const string ParticipantRole = "participant";

    /// <summary>Finds a room by code or id across ministries (a link is shared outside the ministry); only the card leaves.</summary>
    public async Task<CallRoomInfo?> FindAsync(string? code = null, Guid? id = null, CancellationToken cancellationToken = default)
    {
        var normalized = RoomCode.Normalize(code);
        if (normalized is null && id is null)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rooms = db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department]).AsNoTracking();
        rooms = normalized is not null ? rooms.Where(r => r.Code == normalized) : rooms.Where(r => r.Id == id);
        rooms = rooms.Where(r => r.ClosedAt == null);
        return await rooms
            .Select(r => new CallRoomInfo(r.Id, r.TenantId, r.DepartmentId, r.Code, r.Name, r.AccessLevel, r.OwnerId,
                r.AllowSelfUnmute, r.AllowScreenShare, r.AllowChat))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>A signed-in person of any ministry (the cookie's user).</summary>
    public async Task<CallEntryResult> ForMemberAsync(CallRoomInfo room, Guid? lobbyRequestId, CancellationToken cancellationToken = default)
    {
        if (me.UserId is not { } userId)
            return new(CallEntryStatus.Refused);
        if (!await RoomModuleOnAsync(room, cancellationToken) || !await gate.IsEnabledAsync(MeetingsNames.ModuleId, cancellationToken))
            return new(CallEntryStatus.Unavailable);
        var role = await RoleInAsync(room, userId, cancellationToken);
        var decision = RoomAccess.Decide(room.AccessLevel, room.TenantId, me.TenantId, role, await GuestsAllowedAsync(room, cancellationToken));
        if (decision != EntryDecision.Enter)
        {
            if (decision == EntryDecision.Refused || lobbyRequestId is not { } requestId || !lobby.IsAdmitted(room.Id, requestId, userId))
                return new(decision == EntryDecision.Refused ? CallEntryStatus.Refused : CallEntryStatus.Waiting);
        }
        var ticket = new CallTicket(room.Id, userId, me.TenantId, me.DisplayName ?? "?", decision == EntryDecision.Enter ? null : lobbyRequestId, null);
        return await TicketAsync(room, ticket, InCallRole(role), cancellationToken);
    }

    /// <summary>A guest (not signed in) gives a display name: enters a public room, waits in the lobby of a trusted or restricted one.</summary>
    public async Task<CallEntryResult> ForGuestAsync(CallRoomInfo room, string? displayName, CancellationToken cancellationToken = default)
    {
        if (!await RoomModuleOnAsync(room, cancellationToken))
            return new(CallEntryStatus.Unavailable);
        if (!await GuestsAllowedAsync(room, cancellationToken))
            return new(CallEntryStatus.GuestsNotAllowed);
        if (CallProtocol.CleanDisplayName(displayName) is not { } name)
            return new(CallEntryStatus.InvalidName);
        var decision = RoomAccess.Decide(room.AccessLevel, room.TenantId, null, null, guestsAllowed: true);
        if (decision == EntryDecision.Enter)
            return await TicketAsync(room, new CallTicket(room.Id, null, null, name, null, null), GuestRole, cancellationToken);
        if (decision == EntryDecision.Refused)
            return new(CallEntryStatus.Refused);
        if (calls.CountIn(room.Id) >= await MaxParticipantsAsync(room, cancellationToken))
            return new(CallEntryStatus.Full);
        var wait = TimeSpan.FromMinutes(await settings.GetAsync(MeetingsNames.Settings.LobbyWaitMinutes, Target(room), cancellationToken));
        var request = lobby.Ask(room.Id, null, name, null, wait);
        await hosts.SomeoneWaitsAsync(room.Card, name, cancellationToken);
        return new(CallEntryStatus.Waiting, RequestId: request.Id);
    }

    /// <summary>A waiting guest looks again: a ticket once a host let them in.</summary>
    public async Task<CallEntryResult> GuestStatusAsync(CallRoomInfo room, Guid requestId, CancellationToken cancellationToken = default)
    {
        var request = lobby.Find(requestId);
        if (request is null || request.RoomId != room.Id || request.UserId is not null)
            return new(CallEntryStatus.Refused);
        if (request.Status == LobbyStatus.Waiting)
            return new(CallEntryStatus.Waiting, RequestId: requestId);
        if (!lobby.IsAdmitted(room.Id, requestId, null))
            return new(CallEntryStatus.Refused);
        return await TicketAsync(room, new CallTicket(room.Id, null, null, request.DisplayName, requestId, null), GuestRole, cancellationToken);
    }

    /// <summary>The socket's check of a ticket, with the cookie's user (if any) as the request set it.</summary>
    public async Task<(CallAdmission? Admission, string? Error)> AdmitAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (tickets.Read(token) is not { } ticket)
            return (null, CallErrors.BadTicket);
        if (await FindAsync(id: ticket.RoomId, cancellationToken: cancellationToken) is not { } room)
            return (null, CallErrors.BadTicket);
        if (ticket.UserId is { } userId && (me.UserId != userId || me.TenantId != ticket.TenantId))
            return (null, CallErrors.BadTicket);
        if (!await RoomModuleOnAsync(room, cancellationToken) || (ticket.UserId is not null && !await gate.IsEnabledAsync(MeetingsNames.ModuleId, cancellationToken)))
            return (null, CallErrors.Refused);
        var role = ticket.UserId is { } user ? await RoleInAsync(room, user, cancellationToken) : null;
        var guestsAllowed = await GuestsAllowedAsync(room, cancellationToken);
        var decision = RoomAccess.Decide(room.AccessLevel, room.TenantId, ticket.TenantId, role, guestsAllowed);
        if (ticket.UserId is null && !guestsAllowed)
            return (null, CallErrors.Refused);
        // A rejoin ticket is only issued to someone already in the call; a lobby admission expires after a while.
        var admitted = decision == EntryDecision.Enter || ticket.ParticipantId is not null
            || (decision != EntryDecision.Refused && ticket.LobbyRequestId is { } requestId && lobby.IsAdmitted(room.Id, requestId, ticket.UserId));
        if (!admitted)
            return (null, CallErrors.Refused);
        if (calls.IsBanned(room.Id, ticket))
            return (null, CallErrors.Refused);
        if (!calls.HasRoomFor(room.Id, ticket.ParticipantId, await MaxParticipantsAsync(room, cancellationToken)))
            return (null, CallErrors.RoomFull);
        return (new CallAdmission(room, ticket, ticket.UserId is null ? GuestRole : InCallRole(role)), null);
    }

    public string Reissue(CallTicket ticket) => tickets.Issue(ticket);

    private async Task<CallEntryResult> TicketAsync(CallRoomInfo room, CallTicket ticket, string role, CancellationToken cancellationToken)
    {
        if (!calls.HasRoomFor(room.Id, null, await MaxParticipantsAsync(room, cancellationToken)))
            return new(CallEntryStatus.Full);
        return new(CallEntryStatus.Ticket, tickets.Issue(ticket), ticket.LobbyRequestId, role);
    }

    private static string InCallRole(string? roleInRoom) => roleInRoom is RoomRoles.Owner or RoomRoles.Administrator ? roleInRoom : ParticipantRole;

    private static SettingTarget Target(CallRoomInfo room) => new(room.TenantId, room.DepartmentId, null);

    private async Task<bool> RoomModuleOnAsync(CallRoomInfo room, CancellationToken cancellationToken) =>
        (await gate.EnabledModulesForAsync(room.TenantId, room.DepartmentId, cancellationToken)).Contains(MeetingsNames.ModuleId);

    private Task<bool> GuestsAllowedAsync(CallRoomInfo room, CancellationToken cancellationToken) =>
        settings.GetAsync(MeetingsNames.Settings.GuestsAllowed, Target(room), cancellationToken);

    public Task<int> MaxParticipantsAsync(CallRoomInfo room, CancellationToken cancellationToken = default) =>
        settings.GetAsync(MeetingsNames.Settings.MaxParticipants, Target(room), cancellationToken);

    private async Task<string?> RoleInAsync(CallRoomInfo room, Guid userId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers.IgnoreQueryFilters([QueryFilterNames.Tenant]).AsNoTracking()
            .Where(m => m.RoomId == room.Id && m.UserId == userId && m.TenantId == room.TenantId)
            .Select(m => m.Role).SingleOrDefaultAsync(cancellationToken);
    }
}
