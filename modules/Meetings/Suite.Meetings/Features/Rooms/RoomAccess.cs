using Suite.Meetings.Contracts;
using Suite.Meetings.Data;

namespace Suite.Meetings.Features.Rooms;

internal enum EntryDecision
{
    Enter,
    /// <summary>A trusted room and someone from outside its ministry: a host lets them in.</summary>
    WaitInLobby,
    /// <summary>A restricted room and someone not invited: they ask, a host lets them in.</summary>
    AskToJoin,
    Refused,
}

/// <summary>Who gets in, straight from the room's access level (La Suite's Visio rules).</summary>
internal static class RoomAccess
{
    /// <param name="visitorTenantId">Null for a guest (not signed in).</param>
    /// <param name="roleInRoom">The visitor's role in the room (owner, administrator, invited member), if any.</param>
    public static EntryDecision Decide(string accessLevel, Guid roomTenantId, Guid? visitorTenantId, string? roleInRoom, bool guestsAllowed)
    {
        if (roleInRoom is not null)
            return EntryDecision.Enter;
        var guest = visitorTenantId is null;
        if (guest && !guestsAllowed)
            return EntryDecision.Refused;
        return accessLevel switch
        {
            RoomAccessLevels.Public => EntryDecision.Enter,
            RoomAccessLevels.Trusted => !guest && visitorTenantId == roomTenantId ? EntryDecision.Enter : EntryDecision.WaitInLobby,
            RoomAccessLevels.Restricted => EntryDecision.AskToJoin,
            _ => EntryDecision.Refused,
        };
    }

    public static bool CanModerate(string? roleInRoom) => roleInRoom is RoomRoles.Owner or RoomRoles.Administrator;
}
