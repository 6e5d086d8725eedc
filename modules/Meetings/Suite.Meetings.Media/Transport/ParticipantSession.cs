using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Transport;

/// <summary>Receives one authenticated, decrypted RTP or RTCP packet of a session. The span is only valid during the call.</summary>
internal delegate void SessionPacketHandler(ParticipantSession session, ReadOnlySpan<byte> packet);

/// <summary>
/// One participant's share of the media port: its ICE credentials, the remote address ICE bound it to, its DTLS
/// handshake and, once keyed, its SRTP contexts. Created by <see cref="UdpMediaTransport.CreateSession"/>; the packet
/// loop drives it. Closing is idempotent and may come from any thread.
/// </summary>
internal sealed class ParticipantSession
{
    /// <summary>SRTP that arrives between the peer finishing DTLS and our keys being installed, replayed once keyed.</summary>
    public const int MaxEarlyPackets = 32;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _early = new(); // packet loop thread only
    private SrtpContext? _inbound;
    private SrtpContext? _outbound;
    private long _lastConsentTimestamp;

    internal ParticipantSession(string localUfrag, string localPassword, long createdTimestamp)
    {
        LocalUfrag = localUfrag;
        LocalPassword = localPassword;
        Credentials = new IceLiteCredentials(localUfrag, localPassword);
        _lastConsentTimestamp = createdTimestamp;
    }

    public string LocalUfrag { get; }

    public string LocalPassword { get; }

    /// <summary>The peer's parameters: known at creation when the peer offered, or from its answer when we offered.</summary>
    public RemoteTransportParameters? Remote { get; private set; }

    private IceLiteCredentials Credentials { get; }

    /// <summary>The peer's ufrag from its SDP: the part after the colon in every check's USERNAME. Null until known,
    /// so that every check is refused until then.</summary>
    internal byte[]? RemoteUfragBytes { get; private set; }

    internal DtlsServerHandshake? Handshake { get; private set; }

    /// <summary>Sets the peer's parameters once; false when they were already set (a renegotiation must keep them).</summary>
    internal bool TrySetRemote(RemoteTransportParameters remote, DtlsServerHandshake handshake)
    {
        lock (_gate)
        {
            if (Remote is not null || IsClosed)
            {
                return false;
            }

            Remote = remote;
            Handshake = handshake;
            RemoteUfragBytes = System.Text.Encoding.UTF8.GetBytes(remote.IceUfrag);
            return true;
        }
    }

    /// <summary>Where the peer nominated (USE-CANDIDATE) to receive; null until then.</summary>
    public IPEndPoint? RemoteEndPoint { get; private set; }

    internal SocketAddress? RemoteAddress { get; private set; }

    public bool IsSecure => Volatile.Read(ref _inbound) is not null;

    public bool IsClosed { get; private set; }

    public SessionCloseReason? CloseReason { get; private set; }

    public string? CloseDetail { get; private set; }

    public SrtpProfile? SrtpProfile { get; private set; }

    /// <summary>Called on the packet loop thread for every RTP packet that authenticated.</summary>
    public SessionPacketHandler? RtpReceived { get; set; }

    /// <summary>Called on the packet loop thread for every SRTCP compound packet that authenticated.</summary>
    public SessionPacketHandler? RtcpReceived { get; set; }

    /// <summary>Raised once, from whichever thread closed the session.</summary>
    public event Action<ParticipantSession>? Closed;

    internal int EarlyPacketCount => _early.Count;

    /// <summary>Keeps a copy of an SRTP/SRTCP datagram that came before the keys; false when the small buffer is full.</summary>
    internal bool TryHoldEarlyPacket(ReadOnlySpan<byte> datagram)
    {
        if (_early.Count >= MaxEarlyPackets)
        {
            return false;
        }

        _early.Enqueue(datagram.ToArray());
        return true;
    }

    internal bool TryTakeEarlyPacket([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? datagram) => _early.TryDequeue(out datagram);

    internal long LastConsentTimestamp => Interlocked.Read(ref _lastConsentTimestamp);

    internal void RefreshConsent(long timestamp) => Interlocked.Exchange(ref _lastConsentTimestamp, timestamp);

    internal void Bind(SocketAddress address, IPEndPoint endPoint)
    {
        lock (_gate)
        {
            RemoteAddress = address;
            RemoteEndPoint = endPoint;
        }
    }

    internal void InstallKeys(DtlsHandshakeResult result)
    {
        result.CreateSrtpContexts(out SrtpContext outbound, out SrtpContext inbound);
        lock (_gate)
        {
            if (IsClosed)
            {
                outbound.Dispose();
                inbound.Dispose();
                return;
            }

            SrtpProfile = result.Profile;
            _outbound = outbound;
            Volatile.Write(ref _inbound, inbound);
        }
    }

    /// <summary>Answers a connectivity check with this session's credentials; under the lock so that close cannot dispose them mid-use.</summary>
    internal IceBindingOutcome AnswerBinding(
        ReadOnlySpan<byte> datagram, IPEndPoint remote, Span<byte> response, out int responseLength, out bool useCandidate)
    {
        lock (_gate)
        {
            useCandidate = false;
            if (IsClosed)
            {
                responseLength = 0;
                return IceBindingOutcome.Unauthorized;
            }

            IceBindingOutcome outcome = IceLiteBindingResponder.Process(
                datagram, Credentials, remote.Address, (ushort)remote.Port, response, out responseLength, out IceBindingRequest request);
            useCandidate = outcome == IceBindingOutcome.Success && request.UseCandidate;
            return outcome;
        }
    }

    /// <summary>Unprotects in place under the session lock, so that a concurrent close cannot dispose the context mid-use.</summary>
    internal SrtpError UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        lock (_gate)
        {
            plainLength = 0;
            return _inbound is null || IsClosed ? SrtpError.Malformed : _inbound.UnprotectRtp(packet, out plainLength);
        }
    }

    internal SrtpError UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        lock (_gate)
        {
            plainLength = 0;
            return _inbound is null || IsClosed ? SrtpError.Malformed : _inbound.UnprotectRtcp(packet, out plainLength);
        }
    }

    /// <summary>Protects an RTP packet in place for sending (the buffer needs the SRTP overhead free after it).</summary>
    internal SrtpError ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        lock (_gate)
        {
            protectedLength = 0;
            return _outbound is null || IsClosed ? SrtpError.Malformed : _outbound.ProtectRtp(buffer, length, out protectedLength);
        }
    }

    internal SrtpError ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        lock (_gate)
        {
            protectedLength = 0;
            return _outbound is null || IsClosed ? SrtpError.Malformed : _outbound.ProtectRtcp(buffer, length, out protectedLength);
        }
    }

    /// <summary>Marks the session closed and releases its keys; true only for the call that actually closed it.</summary>
    internal bool TryClose(SessionCloseReason reason, string detail)
    {
        lock (_gate)
        {
            if (IsClosed)
            {
                return false;
            }

            IsClosed = true;
            CloseReason = reason;
            CloseDetail = detail;
            _inbound?.Dispose();
            _outbound?.Dispose();
            _inbound = null;
            _outbound = null;
            Credentials.Dispose();
        }

        Handshake?.Dispose();
        Closed?.Invoke(this);
        return true;
    }

    internal static long Now() => Stopwatch.GetTimestamp();
}
