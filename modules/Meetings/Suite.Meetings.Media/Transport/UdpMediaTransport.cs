using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Suite.Meetings.Media.Demux;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Transport;

/// <summary>
/// One UDP socket for every participant. A dedicated thread receives datagrams and routes them by first byte
/// (RFC 7983): STUN to the ICE-lite responder of the session its USERNAME names, DTLS to the handshake queue and
/// SRTP/SRTCP to the unprotect path of the session bound to the sender's address. An authenticated check carrying
/// USE-CANDIDATE binds an address to a session and starts its DTLS handshake on the worker pool; sessions whose
/// consent lapses are removed. Nothing a peer sends can throw out of the loop: every drop is counted by reason.
/// </summary>
internal sealed class UdpMediaTransport : IDisposable
{
    private const int ReceiveBufferLength = 65536;
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private readonly DtlsCertificate _certificate;
    private readonly MediaTransportOptions _options;
    private readonly ConcurrentDictionary<string, ParticipantSession> _byUfrag = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SocketAddress, ParticipantSession> _byAddress = new();
    private readonly DtlsHandshakeWorkerPool _handshakePool;
    private readonly byte[] _stunResponse = new byte[512];
    private Socket? _socket;
    private List<IPAddress>? _localAddresses;
    private Thread? _receiveThread;
    private Timer? _consentTimer;
    private volatile bool _stopping;

    public UdpMediaTransport(DtlsCertificate certificate, MediaTransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _certificate = certificate;
        _options = options ?? new MediaTransportOptions();
        _handshakePool = new DtlsHandshakeWorkerPool(_options.HandshakeWorkers, _options.HandshakeQueueCapacity);
    }

    public TransportCounters Counters { get; } = new();

    public IPEndPoint LocalEndPoint => (IPEndPoint)(_socket?.LocalEndPoint ?? throw new InvalidOperationException("Not started."));

    public int SessionCount => _byUfrag.Count;

    /// <summary>How batches reach the kernel (replaceable to compare the senders).</summary>
    internal DatagramBatchSender BatchSender { get; set; } = DatagramBatchSender.ForThisPlatform();

    /// <summary>The host candidates to announce: each advertised address with the bound port; without any, the bound
    /// address, or every local unicast address of an interface that is up when bound to all addresses.</summary>
    public IReadOnlyList<IPEndPoint> HostCandidates
    {
        get
        {
            IPEndPoint local = LocalEndPoint;
            if (_options.AdvertisedAddresses.Count > 0)
            {
                return _options.AdvertisedAddresses.Select(address => new IPEndPoint(address, local.Port)).ToList();
            }

            return local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any)
                ? (_localAddresses ??= LocalUnicastAddresses(local.AddressFamily)).Select(address => new IPEndPoint(address, local.Port)).ToList()
                : [local];
        }
    }

    private static List<IPAddress> LocalUnicastAddresses(AddressFamily family)
    {
        var addresses = System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(network => network.OperationalStatus is System.Net.NetworkInformation.OperationalStatus.Up or System.Net.NetworkInformation.OperationalStatus.Unknown)
            .SelectMany(network => network.GetIPProperties().UnicastAddresses)
            .Select(unicast => unicast.Address)
            .Where(address => address.AddressFamily == family && !(address.IsIPv6LinkLocal || address.IsIPv6Multicast))
            .OrderBy(address => IPAddress.IsLoopback(address)) // real interfaces first, loopback last
            .ToList();
        return addresses.Count > 0 ? addresses : [family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback];
    }

    public void Start()
    {
        if (_socket is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        var socket = new Socket(_options.BindEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp)
        {
            ReceiveBufferSize = _options.SocketBufferBytes,
            SendBufferSize = _options.SocketBufferBytes,
        };
        socket.Bind(_options.BindEndPoint);
        _socket = socket;
        _receiveThread = new Thread(ReceiveLoop) { IsBackground = true, Name = "media-udp-receive" };
        _receiveThread.Start();
        _consentTimer = new Timer(_ => ExpireSessions(Stopwatch.GetTimestamp()), null, _options.ConsentCheckInterval, _options.ConsentCheckInterval);
    }

    /// <summary>
    /// A session for one participant, with fresh local ICE credentials. <paramref name="remote"/> comes from the
    /// participant's SDP: its ufrag must appear in its checks and its certificate must match its fingerprint. When the
    /// SFU is the offerer it is not known yet: pass null and call <see cref="SetRemote"/> with the answer's.
    /// </summary>
    public ParticipantSession CreateSession(RemoteTransportParameters? remote)
    {
        if (_byUfrag.Count >= _options.MaxSessions)
        {
            throw new InvalidOperationException($"The transport already serves {_options.MaxSessions} sessions.");
        }

        while (true)
        {
            string ufrag = RandomNumberGenerator.GetString(IceChars, 8);
            var session = new ParticipantSession(ufrag, RandomNumberGenerator.GetString(IceChars, 24), Stopwatch.GetTimestamp());
            if (_byUfrag.TryAdd(ufrag, session))
            {
                if (remote is not null)
                {
                    SetRemote(session, remote);
                }

                return session;
            }

            session.TryClose(SessionCloseReason.Closed, "ufrag collision");
        }
    }

    /// <summary>Gives a session created without them its peer's parameters; false when it already had some.</summary>
    public bool SetRemote(ParticipantSession session, RemoteTransportParameters remote)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(remote);
        var handshake = new DtlsServerHandshake(
            _certificate,
            remote.Fingerprint,
            datagram => SendTo(session.RemoteAddress, datagram),
            _options.Handshake,
            onKeysReady: result =>
            {
                Counters.HandshakeSucceeded(); // counted before the keys make the session secure, so readers never see one without the other
                session.InstallKeys(result);
            });
        if (session.TrySetRemote(remote, handshake))
        {
            return true;
        }

        handshake.Dispose();
        return false;
    }

    /// <summary>What the SDP generators need to describe this session's side of the transport.</summary>
    public SfuTransportParameters DescribeLocal(ParticipantSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        return new SfuTransportParameters(session.LocalUfrag, session.LocalPassword, _certificate.Fingerprint, HostCandidates);
    }

    public void CloseSession(ParticipantSession session, SessionCloseReason reason = SessionCloseReason.Closed, string detail = "closed")
    {
        ArgumentNullException.ThrowIfNull(session);
        _byUfrag.TryRemove(new KeyValuePair<string, ParticipantSession>(session.LocalUfrag, session));
        if (session.RemoteAddress is SocketAddress address)
        {
            _byAddress.TryRemove(new KeyValuePair<SocketAddress, ParticipantSession>(address, session));
        }

        try
        {
            session.TryClose(reason, detail);
        }
#pragma warning disable CA1031 // A faulty Closed handler must not take the timer or the loop down with it.
        catch (Exception)
#pragma warning restore CA1031
        {
            Counters.Drop(TransportDropReason.HandlerFailed);
        }
    }

    /// <summary>Protects and sends one RTP packet to the session; false when it is not keyed or bound, or the send failed.</summary>
    public bool SendRtp(ParticipantSession session, Span<byte> buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.ProtectRtp(buffer, length, out int protectedLength) == SrtpError.None
            && SendTo(session.RemoteAddress, buffer[..protectedLength]);
    }

    /// <summary>Protects the RTP packet written in the batch's next slot and adds it for the session's address; false when
    /// the session is not keyed or bound. <paramref name="tag"/> is kept beside it (the caller's plain length).</summary>
    public bool TryAddRtp(DatagramBatch batch, ParticipantSession session, int length, int tag)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(session);
        if (session.RemoteAddress is not SocketAddress address
            || session.ProtectRtp(batch.NextSlot, length, out int protectedLength) != SrtpError.None)
        {
            return false;
        }

        batch.Commit(protectedLength, address, tag);
        return true;
    }

    /// <summary>Sends every datagram of the batch (see <see cref="DatagramBatch.WasSent"/>); never throws.</summary>
    public void Send(DatagramBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Socket? socket = _socket;
        if (socket is null || _stopping)
        {
            return;
        }

        BatchSender.Send(socket, batch, Counters);
    }

    public bool SendRtcp(ParticipantSession session, Span<byte> buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(session);
        return session.ProtectRtcp(buffer, length, out int protectedLength) == SrtpError.None
            && SendTo(session.RemoteAddress, buffer[..protectedLength]);
    }

    /// <summary>The whole receive path for one datagram. Called by the receive thread only (and by tests).</summary>
    internal void HandleDatagram(Span<byte> datagram, SocketAddress from)
    {
        Counters.Received(datagram.Length);
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Stun:
                HandleStun(datagram, from);
                break;
            case PacketKind.Dtls:
                if (FindBound(from) is ParticipantSession dtlsSession && dtlsSession.Handshake?.TryEnqueue(datagram) != true)
                {
                    Counters.Drop(TransportDropReason.DtlsQueueFull);
                }

                break;
            case PacketKind.Rtp:
                HandleSrtp(datagram, from, isRtcp: false);
                break;
            case PacketKind.Rtcp:
                HandleSrtp(datagram, from, isRtcp: true);
                break;
            default:
                Counters.Drop(TransportDropReason.UnknownProtocol);
                break;
        }
    }

    /// <summary>Removes every session whose last authenticated check is older than the consent timeout.</summary>
    internal void ExpireSessions(long nowTimestamp)
    {
        long limit = (long)(_options.ConsentTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (ParticipantSession session in _byUfrag.Values)
        {
            if (nowTimestamp - session.LastConsentTimestamp > limit)
            {
                string detail = session.RemoteAddress is null ? "never connected" : "no connectivity check";
                CloseSession(session, SessionCloseReason.ConsentExpired, $"{detail} for {_options.ConsentTimeout.TotalSeconds:0.#} s");
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _consentTimer?.Dispose();
        _socket?.Dispose();
        _receiveThread?.Join(TimeSpan.FromSeconds(5));
        foreach (ParticipantSession session in _byUfrag.Values)
        {
            CloseSession(session, SessionCloseReason.TransportStopped, "transport stopped");
        }

        _handshakePool.Dispose();
    }

    private void HandleStun(Span<byte> datagram, SocketAddress from)
    {
        if (!StunMessage.TryParse(datagram, out StunMessage message, out _) || !message.IsBindingRequest || !message.HasUsername)
        {
            Counters.Drop(TransportDropReason.StunMalformed);
            return;
        }

        if (!TryFindByUsername(message.Username, out ParticipantSession? session, out bool remoteUfragMatches))
        {
            Counters.Drop(TransportDropReason.StunUnknownUsername);
            return;
        }

        if (!remoteUfragMatches)
        {
            Counters.Drop(TransportDropReason.StunWrongRemoteUfrag);
            return;
        }

        IPEndPoint remote = ToEndPoint(from);
        IceBindingOutcome outcome = session.AnswerBinding(datagram, remote, _stunResponse, out int responseLength, out bool useCandidate);
        if (outcome == IceBindingOutcome.Success)
        {
            Counters.StunAnsweredOne();
            bool fromBoundAddress = session.RemoteAddress is SocketAddress bound && bound.Equals(from);
            if (useCandidate && !fromBoundAddress)
            {
                BindAndStartHandshake(session, from, remote);
                fromBoundAddress = true;
            }

            if (fromBoundAddress)
            {
                session.RefreshConsent(Stopwatch.GetTimestamp());
            }
        }
        else
        {
            Counters.Drop(outcome is IceBindingOutcome.Malformed or IceBindingOutcome.NotBindingRequest or IceBindingOutcome.BadFingerprint
                ? TransportDropReason.StunMalformed
                : TransportDropReason.StunRejected);
        }

        // Answered last, so that the peer's next packet (its DTLS ClientHello) finds the session bound.
        if (responseLength > 0)
        {
            SendTo(from, _stunResponse.AsSpan(0, responseLength));
        }
    }

    private void BindAndStartHandshake(ParticipantSession session, SocketAddress from, IPEndPoint remote)
    {
        SocketAddress key = Copy(from);
        SocketAddress? previous = session.RemoteAddress;
        if (previous is not null)
        {
            _byAddress.TryRemove(new KeyValuePair<SocketAddress, ParticipantSession>(previous, session));
        }

        if (_byAddress.TryGetValue(key, out ParticipantSession? other) && other != session)
        {
            // The address moved to another participant (a reused port after a restart): the newest nomination wins.
            _byAddress.TryRemove(new KeyValuePair<SocketAddress, ParticipantSession>(key, other));
        }

        session.Bind(key, remote);
        _byAddress[key] = session;
        if (session.IsClosed)
        {
            // Closed by the consent timer while we were binding: do not leave a stale route behind.
            _byAddress.TryRemove(new KeyValuePair<SocketAddress, ParticipantSession>(key, session));
            return;
        }

        if (previous is null && session.Handshake is DtlsServerHandshake handshake)
        {
            handshake.Start(_handshakePool);
            handshake.Completion.ContinueWith(
                completed => OnHandshakeCompleted(session, completed.Result),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void OnHandshakeCompleted(ParticipantSession session, DtlsHandshakeResult result)
    {
        if (result.Succeeded)
        {
            return; // counted and keyed on the handshake thread already
        }

        if (result.FailureReason != DtlsFailureReason.Closed)
        {
            Counters.HandshakeFailed();
            CloseSession(session, SessionCloseReason.DtlsFailed, result.ToString());
        }
    }

    private void HandleSrtp(Span<byte> datagram, SocketAddress from, bool isRtcp)
    {
        if (FindBound(from) is not ParticipantSession session)
        {
            return;
        }

        if (!session.IsSecure)
        {
            if (!session.TryHoldEarlyPacket(datagram))
            {
                Counters.Drop(TransportDropReason.NotYetSecure);
            }

            return;
        }

        while (session.TryTakeEarlyPacket(out byte[]? early))
        {
            UnprotectAndDeliver(session, early, PacketClassifier.Classify(early) == PacketKind.Rtcp);
        }

        UnprotectAndDeliver(session, datagram, isRtcp);
    }

    private void UnprotectAndDeliver(ParticipantSession session, Span<byte> datagram, bool isRtcp)
    {
        SrtpError error = isRtcp ? session.UnprotectRtcp(datagram, out int plainLength) : session.UnprotectRtp(datagram, out plainLength);
        if (error != SrtpError.None)
        {
            Counters.Drop(error switch
            {
                SrtpError.AuthenticationFailed => TransportDropReason.SrtpAuthenticationFailed,
                SrtpError.Replayed or SrtpError.TooOld => TransportDropReason.SrtpReplayed,
                SrtpError.TooManyStreams or SrtpError.KeyExhausted => TransportDropReason.SrtpLimit,
                _ => TransportDropReason.SrtpMalformed,
            });
            return;
        }

        SessionPacketHandler? handler = isRtcp ? session.RtcpReceived : session.RtpReceived;
        if (isRtcp)
        {
            Counters.RtcpDeliveredOne();
        }
        else
        {
            Counters.RtpDeliveredOne();
        }

        try
        {
            handler?.Invoke(session, datagram[..plainLength]);
        }
#pragma warning disable CA1031 // The application's handler failing loses one packet, not the loop.
        catch (Exception)
#pragma warning restore CA1031
        {
            Counters.Drop(TransportDropReason.HandlerFailed);
        }
    }

    private ParticipantSession? FindBound(SocketAddress from)
    {
        if (_byAddress.TryGetValue(from, out ParticipantSession? session))
        {
            return session;
        }

        Counters.Drop(TransportDropReason.UnknownEndpoint);
        return null;
    }

    /// <summary>USERNAME is "ourUfrag:theirUfrag" (RFC 8445 §7.2.2); finds the session without allocating.</summary>
    private bool TryFindByUsername(ReadOnlySpan<byte> username, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ParticipantSession? session, out bool remoteUfragMatches)
    {
        session = null;
        remoteUfragMatches = false;
        int colon = username.IndexOf((byte)':');
        if (colon <= 0 || colon > 64)
        {
            return false;
        }

        Span<char> localUfrag = stackalloc char[colon];
        for (int i = 0; i < colon; i++)
        {
            localUfrag[i] = (char)username[i];
        }

        var lookup = _byUfrag.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(localUfrag, out session))
        {
            return false;
        }

        remoteUfragMatches = session.RemoteUfragBytes is byte[] remoteUfrag && username[(colon + 1)..].SequenceEqual(remoteUfrag);
        return true;
    }

    private bool SendTo(SocketAddress? address, ReadOnlySpan<byte> datagram)
    {
        Socket? socket = _socket;
        if (address is null || socket is null || _stopping)
        {
            return false;
        }

        try
        {
            socket.SendTo(datagram, SocketFlags.None, address);
            Counters.Sent();
            return true;
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            Counters.SendFailed();
            return false;
        }
    }

    private void ReceiveLoop()
    {
        Socket socket = _socket!;
        byte[] buffer = new byte[ReceiveBufferLength];
        var from = new SocketAddress(socket.AddressFamily);
        while (!_stopping)
        {
            int length;
            try
            {
                length = socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue; // ICMP errors surface here on some platforms; the next datagram is unaffected
            }
            catch (ObjectDisposedException)
            {
                break;
            }

            try
            {
                HandleDatagram(buffer.AsSpan(0, length), from);
            }
#pragma warning disable CA1031 // Whatever a datagram does, the loop must keep serving everyone else.
            catch (Exception)
#pragma warning restore CA1031
            {
                Counters.Drop(TransportDropReason.InternalError);
            }
        }
    }

    private static SocketAddress Copy(SocketAddress address)
    {
        var copy = new SocketAddress(address.Family, address.Size);
        address.Buffer.Span[..address.Size].CopyTo(copy.Buffer.Span);
        return copy;
    }

    private static IPEndPoint ToEndPoint(SocketAddress address) =>
        (IPEndPoint)new IPEndPoint(address.Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0).Create(address);
}
