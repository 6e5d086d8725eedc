using Suite.Mail.Features.Accounts;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Connection;

/// <summary>One IMAP connection per request (or per circuit operation), opened on first use with the user's stored
/// credentials and logged out when the scope ends. Pooling per user and IDLE-driven updates come later.</summary>
internal sealed class MailboxConnection(MailAccounts accounts, MailServers servers) : IAsyncDisposable
{
    private ImapClient? _client;

    /// <summary>Throws <see cref="MailUnavailableException"/> with a reason a person understands.</summary>
    public async Task<ImapClient> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_client is { IsConnected: true })
            return _client;
        var credentials = await accounts.CredentialsAsync(cancellationToken) ?? throw new MailUnavailableException(MailErrors.NoAccount);
        _client = await ConnectAsync(await servers.ImapAsync(cancellationToken), credentials, cancellationToken);
        return _client;
    }

    /// <summary>Signs in with <paramref name="credentials"/> and signs out again: the check behind the account form.</summary>
    public async Task CheckAsync(MailCredentials credentials, CancellationToken cancellationToken = default)
    {
        await using var client = await ConnectAsync(await servers.ImapAsync(cancellationToken), credentials, cancellationToken);
        await client.LogoutAsync(cancellationToken);
    }

    private static async Task<ImapClient> ConnectAsync(ImapClientOptions options, MailCredentials credentials, CancellationToken cancellationToken)
    {
        ImapClient? client = null;
        try
        {
            client = await ImapClient.ConnectAsync(options, cancellationToken);
            await client.LoginAsync(credentials.Login, credentials.Password, cancellationToken);
            return client;
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            if (client is not null)
                await client.DisposeAsync();
            throw MailErrors.Explain(error);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is null)
            return;
        try
        {
            if (_client.IsConnected)
                await _client.LogoutAsync();
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            // The page is already rendered; a connection that dies while signing out changes nothing for the user.
        }
        await _client.DisposeAsync();
        _client = null;
    }
}
