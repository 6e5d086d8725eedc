using System.Text;

namespace Suite.Mail.Protocols.Imap;

public sealed partial class ImapClient
{
    /// <summary>LOGIN with a user name and password (refused by servers that advertise LOGINDISABLED).</summary>
    public async Task LoginAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (HasCapability("LOGINDISABLED"))
        {
            throw new ImapAuthenticationException("LOGIN", ImapStatus.No, "PRIVACYREQUIRED", "The server disables LOGIN on this connection (use TLS).");
        }

        var command = new ImapCommand("LOGIN").String(user).String(password);
        var response = await ExecuteUncheckedAsync(command, cancellationToken).ConfigureAwait(false);
        await CompleteAuthenticationAsync("LOGIN", response, cancellationToken).ConfigureAwait(false);
        _options.PhaseCompleted?.Invoke("login");
    }

    /// <summary>AUTHENTICATE PLAIN (RFC 4616).</summary>
    public Task AuthenticatePlainAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return AuthenticateAsync(SaslMechanism.Plain(user, password), cancellationToken);
    }

    /// <summary>
    /// OAuth 2 bearer token: OAUTHBEARER (RFC 7628) when advertised, otherwise Google/Microsoft's XOAUTH2.
    /// </summary>
    public async Task AuthenticateOAuthAsync(string user, string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(accessToken);
        await EnsureCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        var mechanism = HasCapability("AUTH=OAUTHBEARER") || !HasCapability("AUTH=XOAUTH2")
            ? SaslMechanism.OAuthBearer(user, accessToken, _options.Host, _options.Port)
            : SaslMechanism.XOAuth2(user, accessToken);
        await AuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
    }

    private async Task AuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        await EnsureCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        var command = new ImapCommand("AUTHENTICATE").Atom(mechanism.Name);
        var initialSent = false;
        if (HasCapability("SASL-IR"))
        {
            command.Atom(Base64(mechanism.InitialResponse));
            initialSent = true;
        }

        var response = await ExecuteUncheckedAsync(command, cancellationToken, continuation: async (challenge, token) =>
        {
            // Without SASL-IR the first "+" asks for the initial response; any later one carries an error report
            // (XOAUTH2/OAUTHBEARER) that must be acknowledged before the server sends its tagged NO.
            var answer = initialSent ? mechanism.AnswerToError : Base64(mechanism.InitialResponse);
            initialSent = true;
            await _connection.WriteAsync(Encoding.ASCII.GetBytes(answer + "\r\n"), token).ConfigureAwait(false);
            await _connection.FlushAsync(token).ConfigureAwait(false);
        }).ConfigureAwait(false);
        await CompleteAuthenticationAsync("AUTHENTICATE", response, cancellationToken).ConfigureAwait(false);
    }

    private async Task CompleteAuthenticationAsync(string command, ImapResponse response, CancellationToken cancellationToken)
    {
        if (response.Status != ImapStatus.Ok)
        {
            throw new ImapAuthenticationException(command, response.Status ?? ImapStatus.No, response.Code?.Name, response.Text);
        }

        IsAuthenticated = true;
        if (response.Code?.Name != "CAPABILITY")
        {
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Base64(byte[] bytes) => bytes.Length == 0 ? "=" : Convert.ToBase64String(bytes);
}
