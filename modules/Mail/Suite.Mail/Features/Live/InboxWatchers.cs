using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Authorization;
using Suite.Kernel.Notifications;
using Suite.Kernel.Tenancy;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Messages;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Live;

/// <summary>A message that just arrived in the INBOX.</summary>
internal sealed record NewMail(uint Uid, string From, string Subject);

/// <summary>What the watch of one person's INBOX tells the pages that listen.</summary>
/// <param name="Failure">Why the watch is interrupted (resource key), null while it works.</param>
internal sealed record WatchState(bool Connected, string? Failure);

/// <summary>Who is watching: the person (for the notification, in their ministry and language) and their mailbox.</summary>
internal sealed record WatchTarget(Guid TenantId, Guid UserId, string? DisplayName, CultureInfo Culture, ImapClientOptions Options, MailCredentials Credentials);

/// <summary>Keeps one IMAP connection in IDLE on the INBOX of each person who is present on the portal
/// (<see cref="InboxWatchOnPresence"/>, ADR 0014) or has a mail page open, however many pages. A new message raises a portal notification (<see cref="INotifier"/>) once, and tells the open pages so
/// they refresh. Connection loss and TLS failures are retried with a growing pause; a refused password stops the watch
/// (no retry loop) until the person saves new credentials.</summary>
internal sealed class InboxWatchers(IServiceScopeFactory scopes, MailConnectionPool pool, ILogger<InboxWatchers> logger) : IAsyncDisposable
{
    private readonly Dictionary<Guid, Watch> _watches = [];
    private readonly Lock _lock = new();

    /// <summary>A burst of new messages (an import, a list) gives at most this many notifications.</summary>
    public const int MaxNotifications = 5;

    /// <summary>First pause before reconnecting; it doubles up to <see cref="MaxRetryPause"/>.</summary>
    public TimeSpan RetryPause { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan MaxRetryPause { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Starts (or joins) the watch of <paramref name="target"/>'s INBOX; dispose to leave it.</summary>
    public IAsyncDisposable Listen(WatchTarget target, Func<NewMail, Task> arrived, Func<WatchState, Task> state)
    {
        var listener = new Listener(arrived, state);
        Watch watch;
        lock (_lock)
        {
            var key = MailConnectionPool.KeyFor(target.Options, target.Credentials);
            if (_watches.TryGetValue(target.UserId, out var existing) && existing.Key != key)
            {
                // New credentials: the old watch ends with its last listener; this one starts afresh.
                _watches.Remove(target.UserId);
                existing = null;
            }
            if (existing is null)
            {
                watch = new Watch(key, target);
                _watches[target.UserId] = watch;
                watch.Run = Task.Run(() => RunAsync(watch));
            }
            else
            {
                watch = existing;
            }
            watch.Listeners.Add(listener);
            // A page joining a watch that is already running (e.g. started for the person's presence) learns its state.
            if (watch.State is { } current)
                _ = TellOneAsync(listener, l => l.State(current));
        }
        return new Subscription(async () =>
        {
            Task? stopped = null;
            lock (_lock)
            {
                watch.Listeners.Remove(listener);
                if (watch.Listeners.Count == 0)
                {
                    if (_watches.TryGetValue(target.UserId, out var current) && current == watch)
                        _watches.Remove(target.UserId);
                    watch.Stop.Cancel();
                    stopped = watch.Run;
                }
            }
            if (stopped is not null)
                await stopped;
        });
    }

    /// <summary>How many INBOXes are watched now (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _watches.Count;
        }
    }

    private async Task RunAsync(Watch watch)
    {
        var pause = RetryPause;
        while (!watch.Stop.IsCancellationRequested)
        {
            try
            {
                await WatchOnceAsync(watch, () => pause = RetryPause);
            }
            catch (OperationCanceledException) when (watch.Stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception error) when (MailErrors.IsMailFailure(error))
            {
                var reason = MailErrors.Explain(error);
                await TellStateAsync(watch, new WatchState(false, reason.Key));
                if (reason.Key is MailErrors.WrongPassword or MailErrors.WrongPasswordStored)
                    return;
                logger.LogInformation("Watch of an INBOX interrupted ({Reason}); retrying in {Pause}.", reason.Key, pause);
                try
                {
                    await Task.Delay(pause, watch.Stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxRetryPause.Ticks));
            }
        }
    }

    private async Task WatchOnceAsync(Watch watch, Action connected)
    {
        if (pool.IsRefused(watch.Key))
            throw new MailUnavailableException(MailErrors.WrongPasswordStored);
        ImapClient imap;
        try
        {
            imap = await MailboxConnection.ConnectAsync(watch.Target.Options, watch.Target.Credentials, watch.Stop.Token);
        }
        catch (MailUnavailableException failure) when (failure.Key == MailErrors.WrongPassword)
        {
            pool.MarkRefused(watch.Key);
            throw;
        }
        await using var _ = imap;
        var inbox = await imap.ExamineAsync("INBOX", cancellationToken: watch.Stop.Token);
        var next = inbox.UidNext ?? 1;
        connected();
        await TellStateAsync(watch, new WatchState(true, null));
        while (!watch.Stop.IsCancellationRequested)
        {
            using var changed = CancellationTokenSource.CreateLinkedTokenSource(watch.Stop.Token);
            void OnChange(object? sender, ImapMailboxEvent change)
            {
                if (change.Kind == ImapMailboxEventKind.Exists)
                    changed.Cancel();
            }
            imap.MailboxChanged += OnChange;
            try
            {
                await imap.IdleAsync(changed.Token, watch.Stop.Token);
            }
            finally
            {
                imap.MailboxChanged -= OnChange;
            }
            if (watch.Stop.IsCancellationRequested)
                break;
            next = await AnnounceAsync(watch, imap, next);
        }
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await imap.LogoutAsync(timeout.Token);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error) || error is OperationCanceledException)
        {
        }
    }

    /// <summary>Finds the messages from UID <paramref name="next"/> on, notifies the person of the unread ones and tells
    /// the pages; returns the next UID to look from.</summary>
    private async Task<uint> AnnounceAsync(Watch watch, ImapClient imap, uint next)
    {
        // Only unread messages are news; the server answers compactly (ESEARCH) even for a large INBOX.
        var uids = (await imap.UidSearchAsync(ImapSearchQuery.Unseen, watch.Stop.Token)).Uids.Where(u => u >= next).Order().ToList();
        if (uids.Count == 0)
            return next;
        var summaries = await imap.UidFetchAsync(uids, ImapFetchItems.Flags | ImapFetchItems.Envelope, cancellationToken: watch.Stop.Token);
        foreach (var summary in summaries.Where(s => s.Uid is not null && !s.HasFlag(ImapFlags.Seen)).OrderBy(s => s.Uid).Take(MaxNotifications))
        {
            var mail = new NewMail(summary.Uid!.Value, MessageList.Sender(summary.Envelope), summary.Envelope?.Subject ?? "");
            await NotifyAsync(watch.Target, mail);
            await TellAsync(watch, l => l.Arrived(mail));
        }
        return uids.Max() + 1;
    }

    /// <summary>The portal notification, written in the person's ministry and language.</summary>
    private async Task NotifyAsync(WatchTarget target, NewMail mail)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>()
                .Set(new TenantScope(target.UserId, target.TenantId, null, [], SuiteRole.Member, [], target.DisplayName));
            var text = scope.ServiceProvider.GetRequiredService<IStringLocalizer<MailText>>();
            var previous = CultureInfo.CurrentUICulture;
            string title;
            try
            {
                CultureInfo.CurrentUICulture = target.Culture;
                title = text["Live.Notification", string.IsNullOrWhiteSpace(mail.From) ? "?" : mail.From, string.IsNullOrWhiteSpace(mail.Subject) ? text["Message.NoSubject"] : mail.Subject];
            }
            finally
            {
                CultureInfo.CurrentUICulture = previous;
            }
            await scope.ServiceProvider.GetRequiredService<INotifier>().NotifyAsync(MailNames.ModuleId, target.UserId,
                new NotificationMessage(title, Link: $"/mail/read?folder=INBOX&uid={mail.Uid}"));
        }
        catch (Exception error) when (error is InvalidOperationException or OperationCanceledException or Microsoft.EntityFrameworkCore.DbUpdateException)
        {
            logger.LogWarning(error, "Could not notify a user of a new message.");
        }
    }

    private async Task TellStateAsync(Watch watch, WatchState state)
    {
        lock (_lock)
            watch.State = state;
        await TellAsync(watch, l => l.State(state));
    }

    private async Task TellAsync(Watch watch, Func<Listener, Task> tell)
    {
        List<Listener> listeners;
        lock (_lock)
            listeners = [.. watch.Listeners];
        foreach (var listener in listeners)
            await TellOneAsync(listener, tell);
    }

    private static async Task TellOneAsync(Listener listener, Func<Listener, Task> tell)
    {
        try
        {
            await tell(listener);
        }
        catch (Exception error) when (error is ObjectDisposedException or InvalidOperationException or TaskCanceledException)
        {
            // A page that closed meanwhile.
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Watch> all;
        lock (_lock)
        {
            all = [.. _watches.Values];
            _watches.Clear();
        }
        foreach (var watch in all)
        {
            watch.Stop.Cancel();
            if (watch.Run is { } run)
                await run;
        }
    }

    private sealed record Listener(Func<NewMail, Task> Arrived, Func<WatchState, Task> State);

    private sealed class Watch(string key, WatchTarget target)
    {
        public string Key { get; } = key;
        public WatchTarget Target { get; } = target;
        public List<Listener> Listeners { get; } = [];
        public CancellationTokenSource Stop { get; } = new();
        public WatchState? State { get; set; }
        public Task? Run { get; set; }
    }

    private sealed class Subscription(Func<Task> dispose) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                await dispose();
        }
    }
}
