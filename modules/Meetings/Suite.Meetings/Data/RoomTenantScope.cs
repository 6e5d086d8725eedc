using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Tenancy;

namespace Suite.Meetings.Data;

/// <summary>A service scope acting for a room's ministry, for what a visitor causes in someone else's room (their
/// attendance, their membership from an invitation): the visitor may be a guest or come from another ministry, while
/// the rows belong to the room's. Rooms are department-scoped: queries there ignore the "department" filter.</summary>
internal static class RoomTenantScope
{
    public static AsyncServiceScope Open(IServiceScopeFactory scopes, Guid tenantId)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(tenantId));
        return scope;
    }
}

/// <summary>Writes a room's audit trail next to the change it describes (saved with it).</summary>
internal static class RoomAudit
{
    public const string System = "system";

    public static void Record(MeetingsDbContext db, Guid roomId, ITenantContext actor, DateTimeOffset at, string action, string? before, string? after) =>
        db.RoomEvents.Add(new RoomEvent
        {
            RoomId = roomId,
            At = at,
            ActorId = actor.UserId,
            ActorName = Truncate(actor.DisplayName ?? System, 200),
            Action = action,
            Before = before is null ? null : Truncate(before, 1000),
            After = after is null ? null : Truncate(after, 1000),
        });

    public static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
