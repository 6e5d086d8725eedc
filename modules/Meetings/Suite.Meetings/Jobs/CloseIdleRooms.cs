using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Jobs;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
using Suite.Meetings.Features.History;

namespace Suite.Meetings.Jobs;

/// <summary>
/// Per ministry where Visio is on (the scheduler runs it only there, in that ministry's scope): closes the instant
/// rooms nobody used for longer than "meetings.idle-room-hours". Someone still in the call keeps a room open. Closing
/// ends the open meeting in the history and writes the room's audit trail; a closed room's link no longer opens it.
/// Named (kept) rooms are never closed.
/// </summary>
internal sealed class CloseIdleRooms(IDbContextFactory<MeetingsDbContext> contexts, ISettingProvider settings, ITenantContext tenant, TimeProvider clock,
    ILogger<CloseIdleRooms> logger) : ISuiteJob
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);

    public async Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        if (tenant.TenantId is null)
            return;
        var hours = await settings.GetAsync(MeetingsNames.Settings.IdleRoomHours, cancellationToken);
        var now = clock.GetUtcNow();
        var cutoff = now.AddHours(-hours);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        // The time comparison is made here: SQLite cannot compare DateTimeOffset values in a query.
        var open = await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Department])
            .Where(r => r.IsInstant && r.ClosedAt == null && !db.MeetingAttendances.Any(a => a.RoomId == r.Id && a.LeftAt == null))
            .ToListAsync(cancellationToken);
        var idle = open.Where(r => r.LastActivityAt < cutoff).ToList();
        if (idle.Count == 0)
            return;
        var ids = idle.Select(r => r.Id).ToList();
        var openSessions = await db.MeetingSessions.Where(s => ids.Contains(s.RoomId) && s.EndedAt == null).ToListAsync(cancellationToken);
        foreach (var session in openSessions)
        {
            session.EndedAt = now;
            session.EndReason = MeetingHistory.EndedIdleClosed;
        }
        foreach (var room in idle)
        {
            room.ClosedAt = now;
            RoomAudit.Record(db, room.Id, tenant, now, "room.closed-idle", room.LastActivityAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture), hours + " h");
        }
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Closed {Count} idle instant rooms of ministry {Tenant} (idle for more than {Hours} h)", idle.Count, tenant.TenantId, hours);
    }
}
