using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Audit;

/// <summary>Every administrative change: who, when, what, before and after.</summary>
internal sealed class AuditLog(IDbContextFactory<PlatformDbContext> contexts, ITenantContext actor, TimeProvider clock)
{
    public static string? Describe(object? state) => state is null ? null : JsonSerializer.Serialize(state);

    /// <summary>Adds the entry to <paramref name="db"/> so that it is saved with the change it describes.</summary>
    public void Record(PlatformDbContext db, string action, string target, Guid? tenantId, object? before, object? after)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow(),
            ActorId = actor.UserId,
            ActorName = actor.DisplayName ?? "system",
            TenantId = tenantId,
            Action = action,
            Target = target,
            Before = Describe(before),
            After = Describe(after),
        });
    }

    /// <summary>Entries the current administrator may read: all for the platform, their ministry's for a ministry administrator.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ReadAsync(Guid? tenantId, int skip, int take, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var query = db.AuditEntries.AsNoTracking();
        if (tenantId is { } t)
            query = query.Where(e => e.TenantId == t);
        return await query.OrderByDescending(e => e.Id).Skip(skip).Take(Math.Clamp(take, 1, 200)).ToListAsync(cancellationToken);
    }
}
