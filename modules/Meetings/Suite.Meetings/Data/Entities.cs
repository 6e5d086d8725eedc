using Suite.Kernel.Tenancy;

namespace Suite.Meetings.Data;

internal sealed class Room : ITenantScoped, IDepartmentScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? DepartmentId { get; set; }
    /// <summary>The short shareable code: "abc-defg-hij".</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public Guid OwnerId { get; set; }
    public required string AccessLevel { get; set; }
    /// <summary>An instant meeting, closed by the idle-room job once nobody used it for a while; a named room is kept.</summary>
    public bool IsInstant { get; set; }
    /// <summary>Room switches, changed by owners and administrators and enforced by the in-call signalling.</summary>
    public bool AllowSelfUnmute { get; set; } = true;
    public bool AllowScreenShare { get; set; } = true;
    public bool AllowChat { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
    /// <summary>Set when an instant room was closed: its link no longer opens it, its history stays.</summary>
    public DateTimeOffset? ClosedAt { get; set; }
}

internal static class RoomRoles
{
    public const string Owner = "owner";
    public const string Administrator = "administrator";
    /// <summary>Invited: enters a restricted room without asking.</summary>
    public const string Member = "member";
}

internal sealed class RoomMember : ITenantScoped
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    public Guid UserId { get; set; }
    public required string Role { get; set; }
    /// <summary>Copied when the person joined the room's members (a module does not read another module's users).</summary>
    public string DisplayName { get; set; } = "";
}

/// <summary>One meeting in a room: from the first person in to the last person out (or the room's closing).</summary>
internal sealed class MeetingSession : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    /// <summary>"empty" (the last person left) or "idle-closed" (closed by the idle-room job).</summary>
    public string? EndReason { get; set; }
}

/// <summary>Someone's presence in a meeting: a signed-in user (UserId) or a guest (display name only).</summary>
internal sealed class MeetingAttendance : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    public Guid SessionId { get; set; }
    public Guid? UserId { get; set; }
    public required string DisplayName { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
    public DateTimeOffset? LeftAt { get; set; }
}

/// <summary>An email invitation to a room. A signed-in person whose account has this address becomes a member of the
/// room (and so enters a restricted room) the first time they open its link.</summary>
internal sealed class RoomInvitation : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    /// <summary>Lower-case.</summary>
    public required string Email { get; set; }
    public Guid InvitedById { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid? AcceptedById { get; set; }
}

/// <summary>What owners and administrators changed in a room, and what the system did to it (closing an idle room):
/// who, when, what, before and after — the module's counterpart of the platform's audit log.</summary>
internal sealed class RoomEvent : ITenantScoped
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    /// <summary>"room.access", "room.switches", "room.role", "room.invited", "room.closed-idle".</summary>
    public required string Action { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}
