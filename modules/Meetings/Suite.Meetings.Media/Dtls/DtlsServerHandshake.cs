using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Dtls;

/// <summary>Settings of a DTLS-SRTP server handshake.</summary>
internal sealed record DtlsHandshakeOptions
{
    public static readonly DtlsHandshakeOptions Default = new();

    /// <summary>From the moment the handshake is queued to the pool until keys are exported.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>DTLS records waiting for the handshake thread; more are dropped and counted.</summary>
    public int QueueCapacity { get; init; } = QueuedDatagramTransport.DefaultCapacity;

    /// <summary>SRTP profiles we accept, in order of preference.</summary>
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; init; } = DtlsSrtpProfiles.DefaultPreference;
}

/// <summary>
/// One participant's DTLS-SRTP handshake, with the SFU as DTLS server (it answers with a=setup:passive). The packet
/// loop feeds it records with <see cref="TryEnqueue"/>; the handshake runs on a <see cref="DtlsHandshakeWorkerPool"/>
/// thread; <see cref="Completion"/> ends with keys or a reason, never with an exception. After success it keeps
/// serving late records on the pool, so that a lost final flight from us is retransmitted when the client repeats its own.
/// </summary>
internal sealed class DtlsServerHandshake : IDisposable
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedClientFingerprint;
    private readonly DtlsHandshakeOptions _options;
    private readonly QueuedDatagramTransport _transport;
    private readonly TaskCompletionSource<DtlsHandshakeResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Action<DtlsHandshakeResult>? _onKeysReady;
    private DtlsHandshakeWorkerPool? _pool;
    private volatile DtlsTransport? _established;
    private int _started;
    private int _drainScheduled;

    /// <param name="onKeysReady">
    /// Called on the handshake thread as soon as keys exist, before <see cref="Completion"/> runs its continuations:
    /// the peer starts sending SRTP the moment it has our Finished, so installing keys must not wait for a thread hop.
    /// </param>
    public DtlsServerHandshake(
        DtlsCertificate certificate,
        DtlsFingerprint expectedClientFingerprint,
        DatagramSender send,
        DtlsHandshakeOptions? options = null,
        Action<DtlsHandshakeResult>? onKeysReady = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedClientFingerprint);
        _onKeysReady = onKeysReady;
        _certificate = certificate;
        _expectedClientFingerprint = expectedClientFingerprint;
        _options = options ?? DtlsHandshakeOptions.Default;
        _transport = new QueuedDatagramTransport(send, _options.QueueCapacity);
    }

    public Task<DtlsHandshakeResult> Completion => _completion.Task;

    /// <summary>DTLS records dropped because the queue was full or the handshake over.</summary>
    public long DroppedRecords => _transport.Dropped;

    /// <summary>Queues the handshake on <paramref name="pool"/>; when the pool is full, completes at once with <see cref="DtlsFailureReason.Overloaded"/>.</summary>
    public void Start(DtlsHandshakeWorkerPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The handshake was already started.");
        }

        _pool = pool;
        _transport.SetDeadline(_options.Timeout);
        if (!pool.TryQueue(Run))
        {
            _transport.Close();
            _completion.TrySetResult(DtlsHandshakeResult.Failure(DtlsFailureReason.Overloaded, "handshake pool is full"));
        }
    }

    /// <summary>Called by the packet loop with a datagram classified as DTLS. Never blocks, never throws.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> record)
    {
        if (!_transport.TryEnqueue(record))
        {
            return false;
        }

        if (_established is not null)
        {
            ScheduleDrain();
        }

        return true;
    }

    /// <summary>Aborts a running handshake (its result becomes <see cref="DtlsFailureReason.Closed"/>) and stops serving records.</summary>
    public void Dispose()
    {
        _transport.Close();
        _completion.TrySetResult(DtlsHandshakeResult.Failure(DtlsFailureReason.Closed, "session closed"));
    }

    private void Run()
    {
        var server = new DtlsSrtpServer(_certificate, _expectedClientFingerprint, _options.SrtpProfiles);
        try
        {
            DtlsTransport established = new DtlsServerProtocol(new SecureRandom()).Accept(server, _transport);
            DtlsHandshakeResult result = server.Result
                ?? DtlsHandshakeResult.Failure(DtlsFailureReason.ProtocolError, "handshake ended without keying material");
            _transport.ClearDeadline();
            _established = established;
            if (result.Succeeded)
            {
                _onKeysReady?.Invoke(result);
            }

            _completion.TrySetResult(result);
            if (_transport.QueuedCount > 0)
            {
                ScheduleDrain();
            }
        }
#pragma warning disable CA1031 // Every failure of a handshake becomes a reason for removing the participant.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            _transport.Close();
            _completion.TrySetResult(Classify(exception, server));
        }
    }

    private DtlsHandshakeResult Classify(Exception exception, DtlsSrtpServer server)
    {
        if (_transport.AbortReason != DtlsFailureReason.None)
        {
            string detail = _transport.AbortReason == DtlsFailureReason.Timeout
                ? $"no complete handshake within {_options.Timeout.TotalSeconds:0.#} s"
                : "session closed";
            return DtlsHandshakeResult.Failure(_transport.AbortReason, detail);
        }

        if (server.RefusalReason != DtlsFailureReason.None)
        {
            return DtlsHandshakeResult.Failure(server.RefusalReason, server.RefusalDetail ?? server.RefusalReason.ToString());
        }

        if (exception is TlsFatalAlertReceived received)
        {
            return DtlsHandshakeResult.Failure(DtlsFailureReason.PeerAlert, $"peer sent {AlertDescription.GetText(received.AlertDescription)}");
        }

        if (exception is TlsFatalAlert alert)
        {
            return DtlsHandshakeResult.Failure(DtlsFailureReason.ProtocolError, AlertDescription.GetText(alert.AlertDescription));
        }

        return DtlsHandshakeResult.Failure(DtlsFailureReason.ProtocolError, exception.GetType().Name + ": " + exception.Message);
    }

    private void ScheduleDrain()
    {
        if (_pool is null || Interlocked.Exchange(ref _drainScheduled, 1) != 0)
        {
            return;
        }

        if (!_pool.TryQueue(DrainEstablished))
        {
            Volatile.Write(ref _drainScheduled, 0);
        }
    }

    /// <summary>
    /// Lets BouncyCastle see records that arrive after the handshake: a repeated client final flight makes it resend
    /// ours. Application data is not expected (no data channels) and is discarded.
    /// </summary>
    private void DrainEstablished()
    {
        DtlsTransport? established = _established;
        try
        {
            byte[] buffer = new byte[_transport.GetReceiveLimit()];
            while (established is not null && _transport.QueuedCount > 0)
            {
                established.Receive(buffer, 0, buffer.Length, 0);
            }
        }
#pragma warning disable CA1031 // A broken or closed association after keying only ends DTLS; SRTP keeps its keys.
        catch (Exception)
#pragma warning restore CA1031
        {
            _established = null;
            _transport.Close();
        }
        finally
        {
            Volatile.Write(ref _drainScheduled, 0);
        }

        if (_established is not null && _transport.QueuedCount > 0)
        {
            ScheduleDrain(); // a record slipped in between the last check and the flag reset
        }
    }
}
