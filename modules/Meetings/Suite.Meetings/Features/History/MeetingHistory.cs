using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Data;
using Suite.Meetings.Features.Rooms;

namespace Suite.Meetings.Features.History;

/// <summary>How long one person was in one meeting (all their visits together).</summary>
public sealed record PersonAttendance(string DisplayName, bool IsGuest, TimeSpan Duration, int Visits, DateTimeOffset FirstJoinedAt, bool StillThere);

/// <summary>Public (with <see cref="PersonAttendance"/>) only because a component shows it.</summary>
public sealed record MeetingRecord(Guid Id, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? EndReason, IReadOnlyList<PersonAttendance> People);

internal sealed record RoomEventRecord(DateTimeOffset At, string ActorName, string Action, string? Before, string? After);

internal sealed record RoomHistory(IReadOnlyList<MeetingRecord> Meetings, IReadOnlyList<RoomEventRecord> Events);

/// <summary>
/// Who was in a room's meetings, when, and for how long. The in-call signalling records each arrival and departure;
/// a meeting (session) starts with the first arrival and ends when the last person leaves or the room is closed.
/// Rows belong to the room's ministry, whoever the visitor is (a guest, or someone from another ministry).
/// Only the room's owner reads the history.
/// </summary>
internal sealed class MeetingHistory(IDbContextFactory<MeetingsDbContext> contexts, IServiceScopeFactory scopes, ITenantContext me, TimeProvider clock)
{
    public const string EndedEmpty = "empty";
    public const string EndedIdleClosed = "idle-closed";

    /// <summary>Keeps two simultaneous arrivals from opening two meetings in one room (a room lives on one node).</summary>
    private static readonly SemaphoreSlim SessionGate = new(1, 1);

    /// <summary>Records that someone entered the room's call; returns the attendance id to give to <see cref="RecordLeftAsync"/>.</summary>
    /// <param name="userId">Null for a guest.</param>
    /// <exception cref="InvalidOperationException">The room does not exist or was closed.</exception>
    public async Task<Guid> RecordJoinedAsync(Guid roomId, Guid? userId, string displayName, CancellationToken ct)
    {
        var tenantId = await RoomTenantAsync(roomId, ct) ?? throw new InvalidOperationException($"Room {roomId} does not exist or is closed.");
        await using var scope = RoomTenantScope.Open(scopes, tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        var name = displayName.Trim();
        var attendance = new MeetingAttendance
        {
            Id = Guid.NewGuid(),
            RoomId = roomId,
            UserId = userId,
            DisplayName = RoomAudit.Truncate(name.Length == 0 ? "?" : name, 200),
            JoinedAt = now,
        };
        await SessionGate.WaitAsync(ct);
        try
        {
            // (Ordered here: SQLite cannot order by a DateTimeOffset.)
            var session = (await db.MeetingSessions.Where(s => s.RoomId == roomId && s.EndedAt == null).ToListAsync(ct))
                .MaxBy(s => s.StartedAt);
            if (session is null)
            {
                session = new MeetingSession { Id = Guid.NewGuid(), RoomId = roomId, StartedAt = now };
                db.MeetingSessions.Add(session);
            }
            attendance.SessionId = session.Id;
            db.MeetingAttendances.Add(attendance);
            await TouchRoomAsync(db, roomId, now, ct);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            SessionGate.Release();
        }
        return attendance.Id;
    }

    /// <summary>Records that someone left (idempotent: a second call for the same attendance changes nothing). The last
    /// one out ends the meeting.</summary>
    public async Task RecordLeftAsync(Guid attendanceId, CancellationToken ct)
    {
        Guid tenantId;
        await using (var lookup = await contexts.CreateDbContextAsync(ct))
        {
            var found = await lookup.MeetingAttendances.IgnoreQueryFilters([QueryFilterNames.Tenant]).AsNoTracking()
                .Where(a => a.Id == attendanceId).Select(a => (Guid?)a.TenantId).SingleOrDefaultAsync(ct);
            if (found is null)
                return;
            tenantId = found.Value;
        }
        await using var scope = RoomTenantScope.Open(scopes, tenantId);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        await SessionGate.WaitAsync(ct);
        try
        {
            var attendance = await db.MeetingAttendances.SingleOrDefaultAsync(a => a.Id == attendanceId, ct);
            if (attendance is null || attendance.LeftAt is not null)
                return;
            attendance.LeftAt = now;
            var othersStay = await db.MeetingAttendances.AnyAsync(a => a.SessionId == attendance.SessionId && a.Id != attendanceId && a.LeftAt == null, ct);
            if (!othersStay && await db.MeetingSessions.SingleOrDefaultAsync(s => s.Id == attendance.SessionId && s.EndedAt == null, ct) is { } session)
            {
                session.EndedAt = now;
                session.EndReason = EndedEmpty;
            }
            await TouchRoomAsync(db, attendance.RoomId, now, ct);
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            SessionGate.Release();
        }
    }

    /// <summary>The room's meetings (latest first) and what was changed in it, for its owner only; null for anyone
    /// else (administrators, members, guests and other ministries alike).</summary>
    public async Task<RoomHistory?> ForOwnerAsync(RoomCard room, int meetings = 50, CancellationToken ct = default)
    {
        if (me.UserId is not { } userId || room.OwnerId != userId || me.TenantId != room.TenantId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sessions = (await db.MeetingSessions.AsNoTracking().Where(s => s.RoomId == room.Id).ToListAsync(ct))
            .OrderByDescending(s => s.StartedAt).Take(Math.Clamp(meetings, 1, 500)).ToList();
        var sessionIds = sessions.Select(s => s.Id).ToList();
        var attendances = await db.MeetingAttendances.AsNoTracking().Where(a => sessionIds.Contains(a.SessionId)).ToListAsync(ct);
        var events = await db.RoomEvents.AsNoTracking().Where(e => e.RoomId == room.Id)
            .OrderByDescending(e => e.Id).Take(100)
            .Select(e => new RoomEventRecord(e.At, e.ActorName, e.Action, e.Before, e.After)).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var records = sessions
            .OrderByDescending(s => s.StartedAt)
            .Select(s => new MeetingRecord(s.Id, s.StartedAt, s.EndedAt, s.EndReason, Summarise(attendances.Where(a => a.SessionId == s.Id), s.EndedAt ?? now)))
            .ToList();
        return new RoomHistory(records, events);
    }

    /// <summary>One line per person: a signed-in user by their id, a guest by the name they gave.</summary>
    internal static IReadOnlyList<PersonAttendance> Summarise(IEnumerable<MeetingAttendance> attendances, DateTimeOffset until) =>
        [.. attendances
            .GroupBy(a => a.UserId is { } user ? "u:" + user : "g:" + a.DisplayName)
            .Select(visits =>
            {
                var ordered = visits.OrderBy(v => v.JoinedAt).ToList();
                var duration = ordered.Aggregate(TimeSpan.Zero, (total, v) => total + Max(TimeSpan.Zero, (v.LeftAt ?? until) - v.JoinedAt));
                return new PersonAttendance(ordered[^1].DisplayName, ordered[0].UserId is null, duration, ordered.Count, ordered[0].JoinedAt, ordered.Any(v => v.LeftAt is null));
            })
            .OrderBy(p => p.FirstJoinedAt)];

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private async Task<Guid?> RoomTenantAsync(Guid roomId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department]).AsNoTracking()
            .Where(r => r.Id == roomId && r.ClosedAt == null).Select(r => (Guid?)r.TenantId).SingleOrDefaultAsync(ct);
    }

    private static Task TouchRoomAsync(MeetingsDbContext db, Guid roomId, DateTimeOffset now, CancellationToken ct) =>
        db.Rooms.IgnoreQueryFilters([QueryFilterNames.Department]).Where(r => r.Id == roomId)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.LastActivityAt, now), ct);
}
