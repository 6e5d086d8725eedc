using Suite.Meetings.Media;

namespace Suite.Meetings.Features.Call;

/// <summary>One person in a call: identity, role, what they say they send, and their current socket (null while
/// they reconnect). Only the room's work loop reads or writes it.</summary>
internal sealed class CallParticipant
{
    public required string Id { get; init; }
    public required CallTicket Ticket { get; init; }
    public required string DisplayName { get; init; }
    public required string Role { get; set; }
    public bool IsGuest => Ticket.UserId is null;
    public bool IsModerator => Role is Data.RoomRoles.Owner or Data.RoomRoles.Administrator;
    public bool Mic { get; set; }
    public bool Camera { get; set; }
    public bool Screen { get; set; }
    public DateTimeOffset? HandRaisedAt { get; set; }
    public string Quality { get; set; } = "unknown";
    public bool MediaFailed { get; set; }
    public CallConnection? Connection { get; set; }
    public IMediaParticipant? Media { get; set; }
    public DateTimeOffset JoinedAt { get; init; }
    public DateTimeOffset LastTicketAt { get; set; }
    public DateTimeOffset? DisconnectedAt { get; set; }
    /// <summary>The meeting history row of this visit (null while it is written, or when writing it failed).</summary>
    public Task<Guid?>? Attendance { get; set; }
    /// <summary>Bumped at each (re)connection, so the close of a replaced socket does not remove the new one.</summary>
    public int Generation { get; set; }

    public string State => Connection is null ? "reconnecting" : MediaFailed ? "failed" : "connected";
}
