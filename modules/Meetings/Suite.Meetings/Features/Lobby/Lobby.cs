using System.Collections.Concurrent;

namespace Suite.Meetings.Features.Lobby;

internal enum LobbyStatus
{
    Waiting,
    Admitted,
    Denied,
    Expired,
}

internal sealed record LobbyRequest(Guid Id, Guid RoomId, Guid? UserId, string DisplayName, string? Organisation, DateTimeOffset RequestedAt, DateTimeOffset ExpiresAt, LobbyStatus Status);

/// <summary>
/// The waiting room, in memory on the node that hosts the room (a room lives on one node, like its media). People
/// ask; hosts admit or deny one by one or all at once; a request left unanswered expires, and so does an admission
/// that is not used. Listeners (the host's and the waiting person's pages) are told of every change.
/// </summary>
internal sealed class Lobby(TimeProvider clock)
{
    public static readonly TimeSpan AdmissionValidity = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<Guid, LobbyRequest> _requests = new();

    public event Action<Guid>? RoomChanged;

    public event Action<Guid>? RequestChanged;

    /// <summary>A signed-in person asking again gets their pending request back rather than a second one.</summary>
    public LobbyRequest Ask(Guid roomId, Guid? userId, string displayName, string? organisation, TimeSpan wait)
    {
        if (userId is { } user && _requests.Values.FirstOrDefault(r => r.RoomId == roomId && r.UserId == user && Current(r).Status == LobbyStatus.Waiting) is { } pending)
            return pending;
        var now = clock.GetUtcNow();
        var request = new LobbyRequest(Guid.NewGuid(), roomId, userId, displayName, organisation, now, now + wait, LobbyStatus.Waiting);
        _requests[request.Id] = request;
        RoomChanged?.Invoke(roomId);
        return request;
    }

    public LobbyRequest? Find(Guid requestId) => _requests.TryGetValue(requestId, out var request) ? Current(request) : null;

    public IReadOnlyList<LobbyRequest> Waiting(Guid roomId)
    {
        Sweep();
        return [.. _requests.Values.Where(r => r.RoomId == roomId && r.Status == LobbyStatus.Waiting).OrderBy(r => r.RequestedAt)];
    }

    public bool Decide(Guid roomId, Guid requestId, bool admit)
    {
        if (!_requests.TryGetValue(requestId, out var request) || request.RoomId != roomId || Current(request).Status != LobbyStatus.Waiting)
            return false;
        var decided = request with
        {
            Status = admit ? LobbyStatus.Admitted : LobbyStatus.Denied,
            ExpiresAt = clock.GetUtcNow() + AdmissionValidity,
        };
        if (!_requests.TryUpdate(requestId, decided, request))
            return false;
        RequestChanged?.Invoke(requestId);
        RoomChanged?.Invoke(roomId);
        return true;
    }

    public int DecideAll(Guid roomId, bool admit) => Waiting(roomId).Count(r => Decide(roomId, r.Id, admit));

    /// <summary>Whether this person was let into this room and the admission still holds (a reload or a reconnection
    /// within <see cref="AdmissionValidity"/> does not send them back to the lobby).</summary>
    public bool IsAdmitted(Guid roomId, Guid requestId, Guid? userId) =>
        Find(requestId) is { Status: LobbyStatus.Admitted } admitted && admitted.RoomId == roomId && admitted.UserId == userId;

    private LobbyRequest Current(LobbyRequest request) =>
        request.ExpiresAt <= clock.GetUtcNow() && request.Status is LobbyStatus.Waiting or LobbyStatus.Admitted
            ? request with { Status = LobbyStatus.Expired }
            : request;

    private void Sweep()
    {
        var cutoff = clock.GetUtcNow() - AdmissionValidity;
        foreach (var (id, request) in _requests)
            if (request.ExpiresAt <= cutoff)
                _requests.TryRemove(id, out _);
    }
}
