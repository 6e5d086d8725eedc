using Suite.Mail.Features.Accounts;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Connection;

/// <summary>The IMAP connection of one request (or one circuit operation): leased on first use from the
/// <see cref="MailConnectionPool"/> with the user's stored credentials, given back when the scope ends. Without a
/// pool (the connection check in tests) it connects and signs out itself.</summary>
internal sealed class MailboxConnection(MailAccounts accounts, MailServers servers, MailConnectionPool? pool = null) : IAsyncDisposable
{
    /// <summary>A server that does not answer is tried once more after this pause before the page says so.</summary>
    internal static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);

    private ImapClient? _client;
    private string? _key;

    /// <summary>Throws <see cref="MailUnavailableException"/> with a reason a person understands.</summary>
    public async Task<ImapClient> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_client is { IsConnected: true })
            return _client;
        await ReleaseAsync();
        var credentials = await accounts.CredentialsAsync(cancellationToken) ?? throw new MailUnavailableException(MailErrors.NoAccount);
        var options = await servers.ImapAsync(cancellationToken);
        if (pool is null)
        {
            _client = await ConnectAsync(options, credentials, cancellationToken);
            return _client;
        }
        var key = MailConnectionPool.KeyFor(options, credentials);
        _client = await pool.LeaseAsync(key, token => ConnectAsync(options, credentials, token), cancellationToken);
        _key = key;
        return _client;
    }

    /// <summary>Signs in with <paramref name="credentials"/> and signs out again: the check behind the account form.</summary>
    public async Task CheckAsync(MailCredentials credentials, CancellationToken cancellationToken = default)
    {
        var options = await servers.ImapAsync(cancellationToken);
        await using var client = await ConnectAsync(options, credentials, cancellationToken);
        await client.LogoutAsync(cancellationToken);
        pool?.Forgive(MailConnectionPool.KeyFor(options, credentials));
    }

    /// <summary>Connects and signs in; a server that cannot be reached is tried a second time after a short pause.</summary>
    internal static async Task<ImapClient> ConnectAsync(ImapClientOptions options, MailCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            return await ConnectOnceAsync(options, credentials, cancellationToken);
        }
        catch (MailUnavailableException failure) when (failure.Key == MailErrors.Unreachable)
        {
            await Task.Delay(RetryPause, cancellationToken);
            return await ConnectOnceAsync(options, credentials, cancellationToken);
        }
    }

    /// <summary>Connection, TLS and LOGIN in one call: the engine then skips the CAPABILITY round trip after STARTTLS.</summary>
    private static async Task<ImapClient> ConnectOnceAsync(ImapClientOptions options, MailCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            return await ImapClient.ConnectAsync(options, credentials.Login, credentials.Password, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            throw MailErrors.Explain(error);
        }
    }

    private async Task ReleaseAsync()
    {
        if (_client is null)
            return;
        var client = _client;
        _client = null;
        if (pool is not null && _key is not null)
        {
            pool.Return(_key, client);
            _key = null;
            return;
        }
        try
        {
            if (client.IsConnected)
                await client.LogoutAsync();
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            // The page is already rendered; a connection that dies while signing out changes nothing for the user.
        }
        await client.DisposeAsync();
    }

    public async ValueTask DisposeAsync() => await ReleaseAsync();
}
