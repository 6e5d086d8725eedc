using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Notifications;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Features.Notifications;

/// <summary>Tells this node's open circuits that a user's notifications changed. Other nodes' circuits see the change
/// at their next refresh of the area (its periodic poll).</summary>
internal sealed class NotificationSignals
{
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, Func<Task>>> _listeners = new();

    public IDisposable Listen(Guid userId, Func<Task> changed)
    {
        var id = Guid.NewGuid();
        _listeners.GetOrAdd(userId, _ => new())[id] = changed;
        return new Subscription(() =>
        {
            if (_listeners.TryGetValue(userId, out var forUser))
                forUser.TryRemove(id, out _);
        });
    }

    public void Changed(Guid userId)
    {
        if (!_listeners.TryGetValue(userId, out var forUser))
            return;
        foreach (var listener in forUser.Values)
            _ = listener();
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

internal sealed record NotificationView(long Id, string ModuleId, string Title, string? Body, string? Link, DateTimeOffset CreatedAt, bool Read);

/// <summary>The notifications of the current user, inside their ministry.</summary>
internal sealed class NotificationStore(IDbContextFactory<PlatformDbContext> contexts, ITenantContext tenant, NotificationSignals signals, TimeProvider clock) : INotifier
{
    public const int Kept = 50;

    public async Task NotifyAsync(string moduleId, Guid userId, NotificationMessage message, CancellationToken cancellationToken = default)
    {
        if (tenant.TenantId is not { } tenantId)
            throw new InvalidOperationException("Notifications are sent inside a ministry (no tenant in scope).");
        ArgumentException.ThrowIfNullOrWhiteSpace(message.Title);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == userId && u.TenantId == tenantId, cancellationToken))
            throw new InvalidOperationException("The recipient is not a user of the current ministry.");
        db.Notifications.Add(new Notification
        {
            UserId = userId,
            ModuleId = moduleId,
            Title = Cut(message.Title, 200)!,
            Body = Cut(message.Body, 1000),
            Link = LocalPath(message.Link),
            CreatedAt = clock.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        signals.Changed(userId);
    }

    public async Task<(IReadOnlyList<NotificationView> Items, int Unread)> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.UserId is not { } userId || tenant.TenantId is null)
            return ([], 0);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var mine = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        var unread = await mine.CountAsync(n => n.ReadAt == null, cancellationToken);
        var items = await mine.OrderByDescending(n => n.Id).Take(10)
            .Select(n => new NotificationView(n.Id, n.ModuleId, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null))
            .ToListAsync(cancellationToken);
        return (items, unread);
    }

    /// <summary>Marks everything read and keeps only the newest <see cref="Kept"/>.</summary>
    public async Task MarkAllReadAsync(CancellationToken cancellationToken = default)
    {
        if (tenant.UserId is not { } userId || tenant.TenantId is null)
            return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null)
            .ExecuteUpdateAsync(u => u.SetProperty(n => n.ReadAt, now), cancellationToken);
        var oldestKept = await db.Notifications.Where(n => n.UserId == userId).OrderByDescending(n => n.Id).Skip(Kept - 1)
            .Select(n => (long?)n.Id).FirstOrDefaultAsync(cancellationToken);
        if (oldestKept is { } cutoff)
            await db.Notifications.Where(n => n.UserId == userId && n.Id < cutoff).ExecuteDeleteAsync(cancellationToken);
        signals.Changed(userId);
    }

    private static string? Cut(string? text, int length) => text is null ? null : text.Length <= length ? text : text[..(length - 1)] + "…";

    private static string? LocalPath(string? link) =>
        link is { Length: > 1 and <= 500 } && link[0] == '/' && link[1] != '/' && link[1] != '\\' ? link : link == "/" ? link : null;
}
