using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Meetings.Media;

namespace Suite.Meetings.Features.Call;

/// <summary>The calls in progress on this node (a room's call lives on one node, like its media). Singleton.</summary>
internal sealed class CallRooms(IServiceProvider services, CallTickets tickets, Features.Lobby.Lobby lobby, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<Guid, CallRoom> _rooms = new();
    private readonly ConcurrentDictionary<Guid, Bans> _bans = new();
    private readonly Lock _gate = new();

    /// <summary>Who was removed from a room (or was in it when it ended): their tickets no longer open it.</summary>
    private sealed class Bans
    {
        public readonly HashSet<string> Participants = new(StringComparer.Ordinal);
        public readonly HashSet<Guid> Users = [];
        public readonly HashSet<Guid> Requests = [];
    }

    public int CountIn(Guid roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Count : 0;

    public CallRoom? Find(Guid roomId) => _rooms.GetValueOrDefault(roomId);

    public bool HasRoomFor(Guid roomId, string? participantId, int maxParticipants) =>
        !_rooms.TryGetValue(roomId, out var room) || room.HasRoomFor(participantId, maxParticipants);

    public bool IsBanned(Guid roomId, CallTicket ticket)
    {
        if (!_bans.TryGetValue(roomId, out var bans))
            return false;
        lock (bans)
        {
            return (ticket.ParticipantId is { } p && bans.Participants.Contains(p))
                || (ticket.UserId is { } u && bans.Users.Contains(u))
                || (ticket.LobbyRequestId is { } r && bans.Requests.Contains(r));
        }
    }

    /// <summary>A removed guest keeps no way back; a removed colleague may be let in again only by a new decision
    /// (their user id is banned for this room until the call ends).</summary>
    public void Ban(Guid roomId, CallTicket ticket, string participantId, bool includeUser)
    {
        var bans = _bans.GetOrAdd(roomId, _ => new Bans());
        lock (bans)
        {
            bans.Participants.Add(participantId);
            if (includeUser && ticket.UserId is { } user)
                bans.Users.Add(user);
            if (ticket.LobbyRequestId is { } request)
                bans.Requests.Add(request);
        }
    }

    /// <summary>The room's call, started with its media room on first use. Throws when the media server cannot start.</summary>
    public CallRoom Open(CallRoomInfo info)
    {
        lock (_gate)
        {
            if (_rooms.TryGetValue(info.Id, out var existing) && !existing.IsClosed)
                return existing;
            var media = services.GetRequiredService<IMediaServer>().OpenRoom(info.Id.ToString("N"));
            var room = new CallRoom(info, media, this, tickets, lobby, clock, loggers.CreateLogger<CallRoom>(), services);
            _rooms[info.Id] = room;
            return room;
        }
    }

    /// <summary>The last one left or the meeting ended: forget the call (users banned by removal may come back to a new one).</summary>
    public void Forget(CallRoom room, bool ended)
    {
        lock (_gate)
        {
            if (_rooms.TryGetValue(room.Info.Id, out var current) && current == room)
                _rooms.TryRemove(room.Info.Id, out _);
            if (!ended && _bans.TryGetValue(room.Info.Id, out var bans))
                lock (bans) bans.Users.Clear();
        }
    }
}
