using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Modules;
using Suite.Kernel.Presence;
using Suite.Kernel.Tenancy;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Connection;

namespace Suite.Mail.Features.Live;

/// <summary>Watches the INBOX of each person present on the portal (any page open), so the header's notification
/// bell announces new mail wherever they are. It joins the same <see cref="InboxWatchers"/> watch as the mail pages:
/// one IMAP connection per person at most, stopped when they leave (the presence grace period). Nothing is watched
/// when mail is switched off for the person's ministry or department, or when no mailbox is configured; a password
/// the server refused is not tried again (see <see cref="MailConnectionPool.IsRefused"/>).</summary>
internal sealed class InboxWatchOnPresence(IServiceScopeFactory scopes, InboxWatchers watchers) : IPresenceListener, IAsyncDisposable
{
    private readonly Dictionary<Guid, IAsyncDisposable> _watching = [];
    private readonly Dictionary<Guid, PresentUser> _present = [];
    private readonly Lock _lock = new();

    /// <summary>How many present people have their INBOX watched (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _watching.Count;
        }
    }

    public async Task ArrivedAsync(PresentUser user, CancellationToken cancellationToken)
    {
        lock (_lock)
            _present[user.UserId] = user;
        await WatchAsync(user, cancellationToken);
    }

    public async Task LeftAsync(Guid userId, CancellationToken cancellationToken)
    {
        IAsyncDisposable? subscription;
        lock (_lock)
        {
            _present.Remove(userId);
            _watching.Remove(userId, out subscription);
        }
        if (subscription is not null)
            await subscription.DisposeAsync();
    }

    /// <summary>The person saved new mailbox credentials: while they are present, their watch restarts with them
    /// (presence tells an arrival only once, and they may have arrived before having a mailbox).</summary>
    public async Task CredentialsChangedAsync(TenantScope scope, CancellationToken cancellationToken)
    {
        PresentUser? present;
        lock (_lock)
            present = scope.UserId is { } userId && _present.TryGetValue(userId, out var known) ? known with { Scope = scope } : null;
        if (present is not null)
            await WatchAsync(present, cancellationToken);
    }

    private async Task WatchAsync(PresentUser user, CancellationToken cancellationToken)
    {
        var target = await TargetAsync(user, cancellationToken);
        var subscription = target is null ? null : watchers.Listen(target, _ => Task.CompletedTask, _ => Task.CompletedTask);
        IAsyncDisposable? previous;
        lock (_lock)
        {
            _watching.Remove(user.UserId, out previous);
            if (subscription is not null && _present.ContainsKey(user.UserId))
            {
                _watching[user.UserId] = subscription;
                subscription = null;
            }
        }
        if (previous is not null)
            await previous.DisposeAsync();
        if (subscription is not null)
            await subscription.DisposeAsync(); // they left while their mailbox was being looked up
    }

    /// <summary>The person's mailbox as their own pages would open it (module gate, ministry settings, stored or
    /// master credentials), or null when there is nothing to watch.</summary>
    private async Task<WatchTarget?> TargetAsync(PresentUser user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<TenantContext>().Set(user.Scope);
        if (!await services.GetRequiredService<IModuleGate>().IsEnabledAsync(MailNames.ModuleId, cancellationToken))
            return null;
        try
        {
            if (await services.GetRequiredService<MailAccounts>().CredentialsAsync(cancellationToken) is not { } credentials)
                return null;
            var options = await services.GetRequiredService<MailServers>().ImapAsync(cancellationToken);
            return new WatchTarget(user.TenantId, user.UserId, user.Scope.DisplayName, user.Culture, options, credentials);
        }
        catch (MailUnavailableException)
        {
            // Mail is not usable for this person (no server configured, master mode without an address…): their
            // mail pages say why; the bell has nothing to announce.
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<IAsyncDisposable> all;
        lock (_lock)
        {
            all = [.. _watching.Values];
            _watching.Clear();
            _present.Clear();
        }
        foreach (var subscription in all)
            await subscription.DisposeAsync();
    }
}
