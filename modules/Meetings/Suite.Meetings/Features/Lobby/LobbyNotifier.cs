using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Suite.Kernel.Notifications;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;
using Suite.Meetings.Features.Rooms;

namespace Suite.Meetings.Features.Lobby;

/// <summary>Tells a room's owner and administrators that someone waits, in their notifications area. Runs in a scope of
/// the room's ministry: the person waiting may belong to another one.</summary>
internal sealed class LobbyNotifier(IServiceScopeFactory scopes, IStringLocalizer<MeetingsText> text)
{
    public async Task SomeoneWaitsAsync(RoomCard room, string displayName, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(room.TenantId));
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<MeetingsDbContext>>().CreateDbContextAsync(cancellationToken);
        var hosts = await db.RoomMembers.AsNoTracking()
            .Where(m => m.RoomId == room.Id && (m.Role == RoomRoles.Owner || m.Role == RoomRoles.Administrator))
            .Select(m => m.UserId).ToListAsync(cancellationToken);
        var notifier = scope.ServiceProvider.GetRequiredService<INotifier>();
        var title = text["Lobby.Notification", displayName, string.IsNullOrEmpty(room.Name) ? room.Code : room.Name];
        foreach (var host in hosts)
            await notifier.NotifyAsync(MeetingsNames.ModuleId, host, new NotificationMessage(title, Link: "/meetings/" + room.Code), cancellationToken);
    }
}
