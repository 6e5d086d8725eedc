using System.Buffers;
using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// IMAP4rev1 client (RFC 3501) with the extensions a webmail needs from servers such as Dovecot: LITERAL+, SASL-IR,
/// NAMESPACE, SPECIAL-USE, LIST-STATUS, UIDPLUS, MOVE, ESEARCH, CONDSTORE/QRESYNC, IDLE.
/// <para>
/// One command runs at a time (callers are queued). Untagged responses may arrive at any moment; they update
/// <see cref="Selected"/> and raise <see cref="MailboxChanged"/>. Errors: <see cref="ImapCommandException"/> for NO/BAD
/// (connection still usable), <see cref="ImapAuthenticationException"/> for refused credentials,
/// <see cref="ImapConnectionException"/> for network failure, timeout or server shutdown, and
/// <see cref="ImapProtocolException"/> for garbage from the server; after the last two the client is unusable.
/// Cancelling a command midway also drops the connection, since its outcome is unknown.
/// </para>
/// </summary>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly ImapClientOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ImapConnection _connection;
    private HashSet<string> _capabilities = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>False between the TLS handshake and the first capability list received over TLS.</summary>
    private bool _capabilitiesKnown;
    private readonly HashSet<string> _enabled = new(StringComparer.OrdinalIgnoreCase);
    private int _tagCounter;
    private string? _byeText;

    private ImapClient(ImapClientOptions options, ImapConnection connection)
    {
        _options = options;
        _connection = connection;
    }

    /// <summary>Raised, on the thread reading responses, when the server reports a change in the selected mailbox.</summary>
    public event EventHandler<ImapMailboxEvent>? MailboxChanged;

    /// <summary>Raised when the server sends an [ALERT], which RFC 3501 says must be shown to the user.</summary>
    public event EventHandler<string>? Alert;

    public IReadOnlySet<string> Capabilities => _capabilities;

    public bool IsAuthenticated { get; private set; }

    public bool IsConnected => !_connection.IsBroken;

    public bool IsEncrypted => _connection.IsEncrypted;

    /// <summary>Negotiated TLS protocol and cipher suite (benchmark report); null without TLS.</summary>
    internal string? TlsDescription => _connection.TlsDescription;

    /// <summary>The selected mailbox, or null.</summary>
    public ImapSelectedMailbox? Selected { get; private set; }

    public bool HasCapability(string capability) => _capabilities.Contains(capability);

    /// <summary>Connects, reads the greeting, negotiates TLS as configured and learns the capabilities.</summary>
    public static async Task<ImapClient> ConnectAsync(ImapClientOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var connection = await ImapConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        return await StartAsync(options, connection, askCapabilitiesAfterTls: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Connects, negotiates TLS and signs in with LOGIN in the fewest round trips: after STARTTLS the capabilities are
    /// not asked before LOGIN, because the tagged OK of LOGIN carries the list valid from then on (CAPABILITY response
    /// code, RFC 3501 §7.1, sent by Dovecot and most servers); they are asked only when it does not. Until then LOGIN
    /// assumes nothing of the server (synchronizing literals only). Refused credentials throw
    /// <see cref="ImapAuthenticationException"/> and close the connection.
    /// </summary>
    public static async Task<ImapClient> ConnectAsync(ImapClientOptions options, string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        var connection = await ImapConnection.OpenAsync(options, cancellationToken).ConfigureAwait(false);
        var client = await StartAsync(options, connection, askCapabilitiesAfterTls: false, cancellationToken).ConfigureAwait(false);
        try
        {
            await client.LoginAsync(user, password, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the protocol over an already open stream (tests use in-memory pipes).</summary>
    internal static Task<ImapClient> ConnectAsync(Stream stream, ImapClientOptions options, CancellationToken cancellationToken = default) =>
        StartAsync(options, new ImapConnection(stream, options.Timeout), askCapabilitiesAfterTls: true, cancellationToken);

    private static async Task<ImapClient> StartAsync(ImapClientOptions options, ImapConnection connection, bool askCapabilitiesAfterTls, CancellationToken cancellationToken)
    {
        var client = new ImapClient(options, connection);
        try
        {
            await client.ReadGreetingAsync(cancellationToken).ConfigureAwait(false);
            if (options.Tls == MailTlsMode.StartTls)
            {
                await client.StartTlsAsync(askCapabilitiesAfterTls, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task NoopAsync(CancellationToken cancellationToken = default) => ExecuteAsync(new ImapCommand("NOOP"), cancellationToken);

    /// <summary>Asks for CAPABILITY again (the list changes after TLS and after login).</summary>
    public async Task RefreshCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        await ExecuteAsync(new ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Turns on extensions with ENABLE (RFC 5161), e.g. QRESYNC; returns those the server enabled.</summary>
    public async Task<IReadOnlySet<string>> EnableAsync(IEnumerable<string> extensions, CancellationToken cancellationToken = default)
    {
        var command = new ImapCommand("ENABLE");
        foreach (var extension in extensions)
        {
            command.Atom(extension);
        }

        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (!response.Is("ENABLED"))
            {
                return false;
            }

            _enabled.UnionWith(ImapDataParser.Strings(ImapValue.List(response.Values)));
            return true;
        }).ConfigureAwait(false);
        return _enabled;
    }

    /// <summary>Says goodbye politely and closes the connection.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (_connection.IsBroken)
        {
            return;
        }

        try
        {
            await ExecuteAsync(new ImapCommand("LOGOUT"), cancellationToken).ConfigureAwait(false);
        }
        catch (ImapConnectionException)
        {
            // Servers may close right after BYE, before the tagged OK: the goal is reached either way.
        }
        finally
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }

    private async Task ReadGreetingAsync(CancellationToken cancellationToken)
    {
        var greeting = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
        if (greeting.Kind != ImapResponseKind.Untagged || greeting.Status is not (ImapStatus.Ok or ImapStatus.PreAuth))
        {
            _connection.Break();
            throw greeting.Status == ImapStatus.Bye
                ? new ImapConnectionException("The IMAP server refused the connection: " + greeting.Text)
                : new ImapProtocolException("Unexpected IMAP greeting: " + greeting.Text);
        }

        HandleStatusCode(greeting);
        IsAuthenticated = greeting.Status == ImapStatus.PreAuth;
        _options.PhaseCompleted?.Invoke("greeting");
        if (!_capabilitiesKnown)
        {
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            _options.PhaseCompleted?.Invoke("capability");
        }
    }

    private async Task StartTlsAsync(bool askCapabilities, CancellationToken cancellationToken)
    {
        if (!HasCapability("STARTTLS"))
        {
            _connection.Break();
            throw new ImapConnectionException("The IMAP server does not offer STARTTLS; refusing to continue unencrypted.");
        }

        await ExecuteAsync(new ImapCommand("STARTTLS"), cancellationToken).ConfigureAwait(false);
        _options.PhaseCompleted?.Invoke("starttls");
        await _connection.StartTlsAsync(_options, cancellationToken).ConfigureAwait(false);
        _options.PhaseCompleted?.Invoke("tls");

        // Capabilities seen before TLS cannot be trusted (RFC 3501 §6.2.1).
        _capabilities = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _capabilitiesKnown = false;
        if (askCapabilities)
        {
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            _options.PhaseCompleted?.Invoke("capability");
        }
    }

    /// <summary>Asks CAPABILITY when the list is not known since TLS started (before AUTHENTICATE picks its mechanism).</summary>
    private async Task EnsureCapabilitiesAsync(CancellationToken cancellationToken)
    {
        if (!_capabilitiesKnown)
        {
            await RefreshCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs a command and returns its tagged OK; NO/BAD throws <see cref="ImapCommandException"/>.</summary>
    private async Task<ImapResponse> ExecuteAsync(
        ImapCommand command,
        CancellationToken cancellationToken,
        Func<ImapResponse, bool>? untagged = null,
        IImapLiteralSink? sink = null,
        Func<ImapResponse, CancellationToken, ValueTask>? continuation = null)
    {
        var response = await ExecuteUncheckedAsync(command, cancellationToken, untagged, sink, continuation).ConfigureAwait(false);
        if (response.Status != ImapStatus.Ok)
        {
            throw new ImapCommandException(command.Name, response.Status ?? ImapStatus.Bad, response.Code?.Name, response.Text);
        }

        return response;
    }

    /// <summary>
    /// Sends a command and reads until its tagged response, whatever its status. Untagged responses go to
    /// <paramref name="untagged"/> first (which returns true when it consumed one), then to the mailbox state.
    /// Continuation requests other than those for literals go to <paramref name="continuation"/>.
    /// </summary>
    private async Task<ImapResponse> ExecuteUncheckedAsync(
        ImapCommand command,
        CancellationToken cancellationToken,
        Func<ImapResponse, bool>? untagged = null,
        IImapLiteralSink? sink = null,
        Func<ImapResponse, CancellationToken, ValueTask>? continuation = null)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ThrowIfBroken();
            return await GuardAsync(async () =>
            {
                var tag = NextTag();
                var early = await SendCommandAsync(tag, command, untagged, cancellationToken).ConfigureAwait(false);
                return early ?? await ReadUntilTaggedAsync(tag, untagged, sink, continuation, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes a command; returns the tagged response if the server ended it early (refusing a literal).</summary>
    /// <remarks>
    /// The protocol text of a command (tag, arguments, literal markers, final CRLF) is gathered and written at once, so a
    /// command without literals is one write: one TLS record and one segment instead of one per piece.
    /// </remarks>
    private async Task<ImapResponse?> SendCommandAsync(string tag, ImapCommand command, Func<ImapResponse, bool>? untagged, CancellationToken cancellationToken)
    {
        var pending = new ArrayBufferWriter<byte>(256);
        Append(pending, Encoding.ASCII.GetBytes(tag + " "));
        foreach (var part in command.Parts)
        {
            if (part.Text is not null)
            {
                Append(pending, part.Text);
                continue;
            }

            var nonSynchronizing = HasCapability("LITERAL+") || (HasCapability("LITERAL-") && part.LiteralLength <= 4096);
            var marker = string.Create(CultureInfo.InvariantCulture, $"{{{part.LiteralLength}{(nonSynchronizing ? "+" : string.Empty)}}}\r\n");
            Append(pending, Encoding.ASCII.GetBytes(marker));
            await _connection.WriteAsync(pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
            pending.Clear();
            if (!nonSynchronizing)
            {
                await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                var response = await ReadUntilContinuationAsync(tag, untagged, cancellationToken).ConfigureAwait(false);
                if (response is not null)
                {
                    return response;
                }
            }

            await _connection.WriteLiteralAsync(part.Literal!, part.LiteralLength, cancellationToken).ConfigureAwait(false);
        }

        Append(pending, "\r\n"u8);
        await _connection.WriteAsync(pending.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await _connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return null;

        static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(buffer.GetSpan(bytes.Length));
            buffer.Advance(bytes.Length);
        }
    }

    /// <summary>Waits for "+"; returns null on it, or the tagged response if the server refused instead.</summary>
    private async Task<ImapResponse?> ReadUntilContinuationAsync(string tag, Func<ImapResponse, bool>? untagged, CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
            switch (response.Kind)
            {
                case ImapResponseKind.Continuation:
                    return null;
                case ImapResponseKind.Tagged:
                    return FinishTagged(tag, response);
                default:
                    Dispatch(response, untagged);
                    break;
            }
        }
    }

    private async Task<ImapResponse> ReadUntilTaggedAsync(
        string tag,
        Func<ImapResponse, bool>? untagged,
        IImapLiteralSink? sink,
        Func<ImapResponse, CancellationToken, ValueTask>? continuation,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var response = await ReadResponseAsync(sink, cancellationToken).ConfigureAwait(false);
            switch (response.Kind)
            {
                case ImapResponseKind.Tagged:
                    return FinishTagged(tag, response);
                case ImapResponseKind.Continuation when continuation is not null:
                    await continuation(response, cancellationToken).ConfigureAwait(false);
                    break;
                case ImapResponseKind.Continuation:
                    throw new ImapProtocolException("Unexpected continuation request: " + response.Text);
                default:
                    Dispatch(response, untagged);
                    break;
            }
        }
    }

    private ImapResponse FinishTagged(string tag, ImapResponse response)
    {
        if (response.Tag != tag)
        {
            throw new ImapProtocolException($"Response for unknown tag '{response.Tag}'.");
        }

        HandleStatusCode(response);
        return response;
    }

    /// <summary>Reads one response; a connection closed right after BYE reports the server's reason.</summary>
    private async Task<ImapResponse> ReadResponseAsync(IImapLiteralSink? sink, CancellationToken cancellationToken)
    {
        try
        {
            return await _connection.Reader.ReadAsync(sink, cancellationToken).ConfigureAwait(false);
        }
        catch (ImapConnectionException e) when (_byeText is not null)
        {
            throw new ImapConnectionException("The IMAP server ended the session: " + _byeText, e);
        }
    }

    /// <summary>Breaks the connection on any failure that leaves the protocol state unknown.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (e is ImapConnectionException or ImapProtocolException or OperationCanceledException or ArgumentException)
        {
            _connection.Break();
            Selected = null;
            throw;
        }
    }

    private void ThrowIfBroken()
    {
        if (_connection.IsBroken)
        {
            throw new ImapConnectionException(_byeText is null ? "The IMAP connection is closed." : "The IMAP server ended the session: " + _byeText);
        }
    }

    private string NextTag() => "A" + Interlocked.Increment(ref _tagCounter).ToString("D4", CultureInfo.InvariantCulture);

    private void Dispatch(ImapResponse response, Func<ImapResponse, bool>? untagged)
    {
        if (untagged?.Invoke(response) == true)
        {
            return;
        }

        if (response.IsStatus)
        {
            if (response.Status == ImapStatus.Bye)
            {
                _byeText = response.Text;
            }

            HandleStatusCode(response);
            return;
        }

        var selected = Selected;
        switch (response.Name)
        {
            case "CAPABILITY":
                _capabilities = new HashSet<string>(ImapDataParser.Strings(ImapValue.List(response.Values)), StringComparer.OrdinalIgnoreCase);
                _capabilitiesKnown = true;
                break;
            case "EXISTS" when selected is not null && response.Number is { } count:
                selected.Exists = count;
                Raise(new ImapMailboxEvent(ImapMailboxEventKind.Exists, Count: count));
                break;
            case "RECENT" when selected is not null && response.Number is { } recent:
                selected.Recent = recent;
                break;
            case "EXPUNGE" when selected is not null && response.Number is { } number:
                selected.Exists = selected.Exists > 0 ? selected.Exists - 1 : 0;
                Raise(new ImapMailboxEvent(ImapMailboxEventKind.Expunged, Count: selected.Exists, SequenceNumber: number));
                break;
            case "VANISHED" when selected is not null:
                HandleVanished(selected, response);
                break;
            case "FLAGS" when selected is not null:
                selected.Flags = ImapDataParser.Strings(response.Value(0));
                break;
            case "FETCH" when response.Number is { } sequence:
                var summary = ImapDataParser.ParseFetch(sequence, response.Value(0));
                if (selected is not null && summary.ModSeq is { } modSeq && modSeq > (selected.HighestModSeq ?? 0))
                {
                    selected.HighestModSeq = modSeq;
                }

                if (summary.Flags is not null)
                {
                    Raise(new ImapMailboxEvent(ImapMailboxEventKind.FlagsChanged, SequenceNumber: sequence, Message: summary));
                }

                break;
        }
    }

    private void HandleVanished(ImapSelectedMailbox selected, ImapResponse response)
    {
        var earlier = response.Value(0).IsList && response.Value(0).Item(0).IsAtom("EARLIER");
        var uids = ImapSequenceSet.Parse(response.Value(earlier ? 1 : 0).Text);
        if (earlier)
        {
            selected.Vanished.AddRange(uids);
            return;
        }

        selected.Exists = (uint)Math.Max(0, selected.Exists - (long)uids.Count);
        Raise(new ImapMailboxEvent(ImapMailboxEventKind.Vanished, Count: selected.Exists, Uids: uids));
    }

    private void HandleStatusCode(ImapResponse response)
    {
        if (response.Code is not { } code)
        {
            return;
        }

        var selected = Selected;
        switch (code.Name)
        {
            case "CAPABILITY":
                _capabilities = new HashSet<string>(ImapDataParser.Strings(ImapValue.List(code.Arguments)), StringComparer.OrdinalIgnoreCase);
                _capabilitiesKnown = true;
                break;
            case "ALERT":
                RaiseSafely(() => Alert?.Invoke(this, response.Text));
                break;
            case "UIDVALIDITY" when selected is not null:
                selected.UidValidity = code.Argument(0).AsNumber();
                break;
            case "UIDNEXT" when selected is not null:
                selected.UidNext = code.Argument(0).AsNumber();
                break;
            case "HIGHESTMODSEQ" when selected is not null:
                selected.HighestModSeq = code.Argument(0).AsNumber64();
                break;
            case "NOMODSEQ" when selected is not null:
                selected.HighestModSeq = null;
                break;
            case "UNSEEN" when selected is not null:
                selected.FirstUnseen = code.Argument(0).AsNumber();
                break;
            case "PERMANENTFLAGS" when selected is not null:
                selected.PermanentFlags = ImapDataParser.Strings(code.Argument(0));
                break;
            case "READ-ONLY" when selected is not null:
                selected.ReadOnly = true;
                break;
            case "READ-WRITE" when selected is not null:
                selected.ReadOnly = false;
                break;
        }
    }

    private void Raise(ImapMailboxEvent mailboxEvent) => RaiseSafely(() => MailboxChanged?.Invoke(this, mailboxEvent));

    private static void RaiseSafely(Action raise)
    {
        try
        {
            raise();
        }
#pragma warning disable CA1031 // A subscriber's bug must not desynchronise the protocol stream mid-response.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
