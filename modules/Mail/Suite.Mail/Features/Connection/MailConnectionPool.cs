using System.Security.Cryptography;
using System.Text;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Connection;

/// <summary>Authenticated IMAP connections kept between requests, per mailbox session (server + login + password):
/// at most <see cref="MaxPerMailbox"/> in use at once per mailbox (further requests wait), idle ones closed after
/// <see cref="IdleTimeout"/>. A password the server refused is remembered, so pages do not retry it on every view
/// (a lockout loop on the server's side): only new credentials are tried again.</summary>
internal sealed class MailConnectionPool : IAsyncDisposable
{
    public const int MaxPerMailbox = 4;

    private readonly Dictionary<string, Entry> _entries = [];
    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly ITimer _sweeper;
    private int _opened;

    public MailConnectionPool(TimeProvider clock)
    {
        _clock = clock;
        _sweeper = clock.CreateTimer(_ => _ = SweepAsync(), null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many connections the pool has opened since it started (for tests and diagnostics).</summary>
    public int Opened => Volatile.Read(ref _opened);

    /// <summary>Identifies one mailbox session; the password only as a hash, so a changed password is a new session.</summary>
    public static string KeyFor(ImapClientOptions options, MailCredentials credentials) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{options.Host}\n{options.Port}\n{options.Tls}\n{credentials.Login}\n{credentials.Password}")));

    public int IdleCount(string key)
    {
        lock (_lock)
            return _entries.TryGetValue(key, out var entry) ? entry.Idle.Count : 0;
    }

    public bool IsRefused(string key)
    {
        lock (_lock)
            return _entries.TryGetValue(key, out var entry) && entry.Refused;
    }

    /// <summary>The server refused these credentials: do not try them again until <see cref="Forgive"/>.</summary>
    public void MarkRefused(string key) => EntryFor(key).Refused = true;

    /// <summary>The server accepted these credentials again (checked on the mailbox page): they may be used.</summary>
    public void Forgive(string key)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
                entry.Refused = false;
        }
    }

    /// <summary>A connection for this mailbox: an idle one, or a new one from <paramref name="connect"/>. Give it back
    /// with <see cref="Return"/>. Throws <see cref="MailUnavailableException"/>.</summary>
    public async Task<ImapClient> LeaseAsync(string key, Func<CancellationToken, Task<ImapClient>> connect, CancellationToken cancellationToken = default)
    {
        var entry = EntryFor(key);
        if (entry.Refused)
            throw new MailUnavailableException(MailErrors.WrongPasswordStored);
        await entry.Slots.WaitAsync(cancellationToken);
        try
        {
            while (TakeIdle(entry) is { } idle)
            {
                // A session the server ended meanwhile (restart, idle timeout, killed) is noticed here, not by the page.
                if (idle.IsConnected && await AnswersAsync(idle, cancellationToken))
                    return idle;
                await idle.DisposeAsync();
            }
            try
            {
                var client = await connect(cancellationToken);
                Interlocked.Increment(ref _opened);
                return client;
            }
            catch (MailUnavailableException failure) when (failure.Key == MailErrors.WrongPassword)
            {
                entry.Refused = true;
                throw;
            }
        }
        catch
        {
            entry.Slots.Release();
            throw;
        }
    }

    /// <summary>Gives a leased connection back: kept for the next request while it is usable, closed otherwise.</summary>
    public void Return(string key, ImapClient client)
    {
        Entry? entry;
        lock (_lock)
            _entries.TryGetValue(key, out entry);
        if (entry is null)
        {
            _ = CloseAsync(client);
            return;
        }
        if (client.IsConnected)
        {
            lock (_lock)
                entry.Idle.Push((client, _clock.GetUtcNow()));
        }
        else
        {
            _ = CloseAsync(client);
        }
        entry.Slots.Release();
    }

    private static async Task<bool> AnswersAsync(ImapClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.NoopAsync(cancellationToken);
            return true;
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            return false;
        }
    }

    private Entry EntryFor(string key)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
                _entries[key] = entry = new Entry();
            return entry;
        }
    }

    private ImapClient? TakeIdle(Entry entry)
    {
        lock (_lock)
        {
            while (entry.Idle.TryPop(out var idle))
            {
                if (_clock.GetUtcNow() - idle.Since < IdleTimeout)
                    return idle.Client;
                _ = CloseAsync(idle.Client);
            }
            return null;
        }
    }

    /// <summary>Closes connections idle for longer than <see cref="IdleTimeout"/>.</summary>
    internal async Task SweepAsync()
    {
        var expired = new List<ImapClient>();
        lock (_lock)
        {
            var now = _clock.GetUtcNow();
            foreach (var entry in _entries.Values)
            {
                var kept = entry.Idle.Where(i => now - i.Since < IdleTimeout).Reverse().ToList();
                expired.AddRange(entry.Idle.Where(i => now - i.Since >= IdleTimeout).Select(i => i.Client));
                entry.Idle.Clear();
                foreach (var idle in kept)
                    entry.Idle.Push(idle);
            }
        }
        foreach (var client in expired)
            await CloseAsync(client);
    }

    private static async Task CloseAsync(ImapClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.LogoutAsync(timeout.Token);
            }
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error) || error is OperationCanceledException)
        {
        }
        await client.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _sweeper.DisposeAsync();
        List<ImapClient> all;
        lock (_lock)
        {
            all = [.. _entries.Values.SelectMany(e => e.Idle.Select(i => i.Client))];
            _entries.Clear();
        }
        foreach (var client in all)
            await CloseAsync(client);
    }

    private sealed class Entry
    {
        public SemaphoreSlim Slots { get; } = new(MaxPerMailbox, MaxPerMailbox);
        public Stack<(ImapClient Client, DateTimeOffset Since)> Idle { get; } = new();
        public volatile bool Refused;
    }
}
