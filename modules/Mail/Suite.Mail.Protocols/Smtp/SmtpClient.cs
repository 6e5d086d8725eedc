using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Smtp;

/// <summary>
/// SMTP submission client (RFC 5321, RFC 6409) sending pre-built raw MIME messages: EHLO (HELO fallback), STARTTLS or
/// implicit TLS, AUTH PLAIN/LOGIN/XOAUTH2/OAUTHBEARER, PIPELINING, SIZE, 8BITMIME, SMTPUTF8. The message streams from
/// the caller's Stream through dot-stuffing; it is never held in memory. Refusals keep the server's code, enhanced
/// status and text (<see cref="SmtpCommandException"/>); one command runs at a time.
/// </summary>
public sealed class SmtpClient : IAsyncDisposable
{
    private readonly SmtpClientOptions _options;
    private readonly SmtpTransport _transport;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, string> _extensions = new(StringComparer.OrdinalIgnoreCase);

    private SmtpClient(SmtpClientOptions options, SmtpTransport transport)
    {
        _options = options;
        _transport = transport;
    }

    /// <summary>EHLO keywords with their parameters (e.g. "SIZE" → "10240000", "AUTH" → "PLAIN LOGIN").</summary>
    public IReadOnlyDictionary<string, string> Extensions => _extensions;

    public bool IsEncrypted => _transport.IsEncrypted;

    public bool IsConnected => !_transport.IsBroken;

    public bool IsAuthenticated { get; private set; }

    /// <summary>The SIZE limit the server advertised, or null when none.</summary>
    public long? MaxMessageSize => _extensions.TryGetValue("SIZE", out var size) && long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null;

    public bool Supports(string extension) => _extensions.ContainsKey(extension);

    public bool SupportsAuthMechanism(string mechanism) =>
        _extensions.TryGetValue("AUTH", out var mechanisms) && mechanisms.Split(' ').Contains(mechanism, StringComparer.OrdinalIgnoreCase);

    public static async Task<SmtpClient> ConnectAsync(SmtpClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = await SmtpTransport.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        return await StartAsync(options, transport, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the protocol over an already open stream (tests).</summary>
    internal static Task<SmtpClient> ConnectAsync(Stream stream, SmtpClientOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, new SmtpTransport(stream, options.Timeout), cancellationToken);

    /// <summary>Authenticates with a password: PLAIN when offered, else LOGIN.</summary>
    public async Task AuthenticateAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (SupportsAuthMechanism("PLAIN") || !SupportsAuthMechanism("LOGIN"))
        {
            await AuthenticateAsync(SaslMechanism.Plain(user, password), cancellationToken).ConfigureAwait(false);
            return;
        }

        await RunAsync(async () =>
        {
            var reply = await CommandAsync("AUTH LOGIN", cancellationToken).ConfigureAwait(false);
            foreach (var answer in new[] { user, password })
            {
                if (reply.Code != 334)
                {
                    break;
                }

                reply = await CommandAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(answer)), cancellationToken).ConfigureAwait(false);
            }

            FinishAuthentication(reply);
            return 0;
        }).ConfigureAwait(false);
    }

    /// <summary>OAuth 2 bearer token: OAUTHBEARER when advertised, otherwise XOAUTH2.</summary>
    public Task AuthenticateOAuthAsync(string user, string accessToken, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(accessToken);
        var mechanism = SupportsAuthMechanism("OAUTHBEARER") || !SupportsAuthMechanism("XOAUTH2")
            ? SaslMechanism.OAuthBearer(user, accessToken, _options.Host, _options.Port)
            : SaslMechanism.XOAuth2(user, accessToken);
        return AuthenticateAsync(mechanism, cancellationToken);
    }

    /// <summary>
    /// Sends one message read from <paramref name="message"/> (raw RFC 5322, CRLF or LF line ends) to the given
    /// envelope. Returns the accepted and refused recipients; throws <see cref="SmtpRecipientsRejectedException"/>
    /// when none was accepted and <see cref="SmtpCommandException"/> when the sender or the message is refused.
    /// </summary>
    public async Task<SmtpSendResult> SendAsync(string from, IEnumerable<string> recipients, Stream message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(message);
        var to = recipients.ToList();
        if (to.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed.", nameof(recipients));
        }

        foreach (var address in to.Prepend(from))
        {
            ValidateAddress(address);
        }

        var size = message.CanSeek ? message.Length - message.Position : (long?)null;
        if (size is { } known && MaxMessageSize is { } limit && known > limit)
        {
            throw new SmtpMessageTooLargeException(known, limit);
        }

        var mailFrom = new StringBuilder($"MAIL FROM:<{from}>");
        if (size is not null && Supports("SIZE"))
        {
            mailFrom.Append(CultureInfo.InvariantCulture, $" SIZE={size}");
        }

        if (Supports("8BITMIME"))
        {
            mailFrom.Append(" BODY=8BITMIME");
        }

        if (to.Prepend(from).Any(a => a.Any(c => c > '~')))
        {
            if (!Supports("SMTPUTF8"))
            {
                throw new SmtpException("The server does not accept internationalized addresses (no SMTPUTF8).");
            }

            mailFrom.Append(" SMTPUTF8");
        }

        return await RunAsync(() => SendCoreAsync(mailFrom.ToString(), to, message, cancellationToken)).ConfigureAwait(false);
    }

    public Task NoopAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async () => Expect(await CommandAsync("NOOP", cancellationToken).ConfigureAwait(false), "NOOP", 250));

    /// <summary>Sends QUIT and closes the connection.</summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        if (_transport.IsBroken)
        {
            return;
        }

        try
        {
            await RunAsync(() => CommandAsync("QUIT", cancellationToken)).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            // Closing was the goal.
        }
        finally
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private static async Task<SmtpClient> StartAsync(SmtpClientOptions options, SmtpTransport transport, CancellationToken cancellationToken)
    {
        var client = new SmtpClient(options, transport);
        try
        {
            await client.RunAsync(async () =>
            {
                var greeting = await transport.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                if (greeting.Code != 220)
                {
                    throw new SmtpConnectionException("The SMTP server refused the connection: " + greeting);
                }

                await client.HelloAsync(cancellationToken).ConfigureAwait(false);
                if (options.Tls == MailTlsMode.StartTls)
                {
                    if (!client.Supports("STARTTLS"))
                    {
                        throw new SmtpConnectionException("The SMTP server does not offer STARTTLS; refusing to continue unencrypted.");
                    }

                    Expect(await client.CommandAsync("STARTTLS", cancellationToken).ConfigureAwait(false), "STARTTLS", 220);
                    await transport.StartTlsAsync(options, cancellationToken).ConfigureAwait(false);

                    // What the server said before TLS cannot be trusted (RFC 3207 §4.2).
                    await client.HelloAsync(cancellationToken).ConfigureAwait(false);
                }

                return 0;
            }).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HelloAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("EHLO " + _options.ClientDomain, cancellationToken).ConfigureAwait(false);
        var extensions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (reply.Code == 250)
        {
            foreach (var line in reply.Lines.Skip(1))
            {
                var space = line.IndexOf(' ');
                var keyword = space < 0 ? line : line[..space];
                var parameters = space < 0 ? string.Empty : line[(space + 1)..].Trim();
                if (keyword.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
                {
                    // Some old servers repeat the list as "AUTH=LOGIN PLAIN".
                    (keyword, parameters) = ("AUTH", keyword[5..] + " " + parameters);
                }

                if (keyword.Length > 0)
                {
                    extensions[keyword] = extensions.TryGetValue(keyword, out var existing) ? existing + " " + parameters : parameters;
                }
            }
        }
        else
        {
            Expect(await CommandAsync("HELO " + _options.ClientDomain, cancellationToken).ConfigureAwait(false), "HELO", 250);
        }

        _extensions = extensions;
    }

    private async Task AuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        await RunAsync(async () =>
        {
            var initial = mechanism.InitialResponse.Length == 0 ? "=" : Convert.ToBase64String(mechanism.InitialResponse);
            var reply = await CommandAsync($"AUTH {mechanism.Name} {initial}", cancellationToken).ConfigureAwait(false);
            if (reply.Code == 334)
            {
                // An error challenge (OAuth mechanisms) or a server that ignored the initial response: acknowledge so it
                // finishes with its final reply.
                reply = await CommandAsync(mechanism.AnswerToError, cancellationToken).ConfigureAwait(false);
            }

            FinishAuthentication(reply);
            return 0;
        }).ConfigureAwait(false);
    }

    private void FinishAuthentication(SmtpReply reply)
    {
        if (reply.Code != 235)
        {
            throw new SmtpAuthenticationException("AUTH", reply);
        }

        IsAuthenticated = true;
    }

    private async Task<SmtpSendResult> SendCoreAsync(string mailFrom, List<string> recipients, Stream message, CancellationToken cancellationToken)
    {
        var commands = new List<string> { mailFrom };
        commands.AddRange(recipients.Select(r => $"RCPT TO:<{r}>"));
        var replies = new List<SmtpReply>();
        if (Supports("PIPELINING"))
        {
            // RFC 2920: the envelope and DATA go in one write, the replies are then read in order.
            commands.Add("DATA");
            await _transport.WriteAsync(Encoding.UTF8.GetBytes(string.Concat(commands.Select(c => c + "\r\n"))), cancellationToken).ConfigureAwait(false);
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            foreach (var _ in commands)
            {
                replies.Add(await _transport.ReadReplyAsync(cancellationToken).ConfigureAwait(false));
            }
        }
        else
        {
            foreach (var command in commands)
            {
                var reply = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
                replies.Add(reply);
                if (replies.Count == 1 && reply.Code != 250)
                {
                    break;
                }
            }
        }

        var accepted = new List<string>();
        var rejected = new List<SmtpRejectedRecipient>();
        for (var i = 0; i < recipients.Count && i + 1 < replies.Count; i++)
        {
            if (replies[i + 1].Code is 250 or 251)
            {
                accepted.Add(recipients[i]);
            }
            else
            {
                rejected.Add(new SmtpRejectedRecipient(recipients[i], replies[i + 1]));
            }
        }

        var dataReply = replies.Count == commands.Count && commands[^1] == "DATA" ? replies[^1] : null;
        if (replies[0].Code != 250 || accepted.Count == 0)
        {
            if (dataReply?.Code == 354)
            {
                // The server accepted DATA although the envelope failed: end it empty, it will refuse the transaction.
                await _transport.WriteLineAsync(".", cancellationToken).ConfigureAwait(false);
                await _transport.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            }

            await ResetAsync(cancellationToken).ConfigureAwait(false);
            if (replies[0].Code != 250)
            {
                throw new SmtpCommandException("MAIL", replies[0]);
            }

            throw new SmtpRecipientsRejectedException(rejected);
        }

        dataReply ??= await CommandAsync("DATA", cancellationToken).ConfigureAwait(false);
        if (dataReply.Code != 354)
        {
            await ResetAsync(cancellationToken).ConfigureAwait(false);
            throw new SmtpCommandException("DATA", dataReply);
        }

        await WriteDataAsync(message, cancellationToken).ConfigureAwait(false);
        var final = await _transport.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        if (final.Code != 250)
        {
            throw new SmtpCommandException("DATA", final);
        }

        return new SmtpSendResult(accepted, rejected, final);
    }

    private async Task WriteDataAsync(Stream message, CancellationToken cancellationToken)
    {
        var stuffing = new DotStuffing();
        var input = new byte[32 * 1024];
        var output = new byte[(input.Length * 2) + 2];
        while (true)
        {
            var read = await message.ReadAsync(input, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            var length = stuffing.Transform(input.AsSpan(0, read), output);
            await _transport.WriteAsync(output.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }

        var tail = stuffing.Finish().ToArray();
        await _transport.WriteAsync(tail.Concat(".\r\n"u8.ToArray()).ToArray(), cancellationToken).ConfigureAwait(false);
        await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RSET after a failed transaction so the session can send the next message.</summary>
    private async Task ResetAsync(CancellationToken cancellationToken) => await CommandAsync("RSET", cancellationToken).ConfigureAwait(false);

    private async Task<SmtpReply> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await _transport.WriteLineAsync(command, cancellationToken).ConfigureAwait(false);
        return await _transport.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Serialises commands; a broken transport or a cancelled exchange leaves the client closed.</summary>
    private async Task<T> RunAsync<T>(Func<Task<T>> action)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_transport.IsBroken)
            {
                throw new SmtpConnectionException("The SMTP connection is closed.");
            }

            return await action().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _transport.Break();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task RunAsync(Func<Task> action) => RunAsync(async () =>
    {
        await action().ConfigureAwait(false);
        return 0;
    });

    private static SmtpReply Expect(SmtpReply reply, string command, int code) =>
        reply.Code == code ? reply : throw new SmtpCommandException(command, reply);

    private static void ValidateAddress(string address)
    {
        if (address.Any(c => c is '\r' or '\n' or '<' or '>' or '\0' || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"Invalid address '{address}'.", nameof(address));
        }
    }
}
