namespace Suite.Meetings.Media.Transport;

/// <summary>Why the transport dropped a datagram. Every drop is counted under exactly one reason.</summary>
internal enum TransportDropReason
{
    /// <summary>First byte claims no protocol we serve (ZRTP, TURN channel data, 64–127, 192–255, empty).</summary>
    UnknownProtocol = 0,

    /// <summary>Not a well-formed STUN message, or not a Binding request, or without FINGERPRINT.</summary>
    StunMalformed,

    /// <summary>USERNAME names no session of ours (stale, or a scan).</summary>
    StunUnknownUsername,

    /// <summary>Bad MESSAGE-INTEGRITY, missing attributes, role conflict: answered with an error, not acted on.</summary>
    StunRejected,

    /// <summary>Authenticated, but the remote ufrag is not the one the peer's SDP announced.</summary>
    StunWrongRemoteUfrag,

    /// <summary>DTLS, RTP or RTCP from an address no session has been bound to by ICE.</summary>
    UnknownEndpoint,

    /// <summary>The session's DTLS queue was full or its handshake is over.</summary>
    DtlsQueueFull,

    /// <summary>SRTP or SRTCP before the DTLS handshake produced keys, beyond the few held for replay.</summary>
    NotYetSecure,

    /// <summary>Too short or not RTP/RTCP version 2.</summary>
    SrtpMalformed,

    /// <summary>Authentication tag mismatch.</summary>
    SrtpAuthenticationFailed,

    /// <summary>Replayed or older than the replay window.</summary>
    SrtpReplayed,

    /// <summary>The session tracks too many SSRCs, or its key is exhausted.</summary>
    SrtpLimit,

    /// <summary>The packet handler threw; the packet is lost, the loop goes on.</summary>
    HandlerFailed,

    /// <summary>A bug in the transport itself surfaced as an exception; counted so that it is seen, never rethrown.</summary>
    InternalError,
}

/// <summary>Packet counters of one transport, safe to read from any thread.</summary>
internal sealed class TransportCounters
{
    private readonly long[] _drops = new long[Enum.GetValues<TransportDropReason>().Length];
    private long _datagramsReceived;
    private long _bytesReceived;
    private long _stunAnswered;
    private long _rtpDelivered;
    private long _rtcpDelivered;
    private long _datagramsSent;
    private long _sendFailures;
    private long _handshakesSucceeded;
    private long _handshakesFailed;

    public long DatagramsReceived => Interlocked.Read(ref _datagramsReceived);

    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    public long StunAnswered => Interlocked.Read(ref _stunAnswered);

    public long RtpDelivered => Interlocked.Read(ref _rtpDelivered);

    public long RtcpDelivered => Interlocked.Read(ref _rtcpDelivered);

    public long DatagramsSent => Interlocked.Read(ref _datagramsSent);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public long HandshakesSucceeded => Interlocked.Read(ref _handshakesSucceeded);

    public long HandshakesFailed => Interlocked.Read(ref _handshakesFailed);

    public long TotalDropped
    {
        get
        {
            long total = 0;
            for (int i = 0; i < _drops.Length; i++)
            {
                total += Interlocked.Read(ref _drops[i]);
            }

            return total;
        }
    }

    public long Dropped(TransportDropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    internal void Received(int bytes)
    {
        Interlocked.Increment(ref _datagramsReceived);
        Interlocked.Add(ref _bytesReceived, bytes);
    }

    internal void Drop(TransportDropReason reason) => Interlocked.Increment(ref _drops[(int)reason]);

    internal void StunAnsweredOne() => Interlocked.Increment(ref _stunAnswered);

    internal void RtpDeliveredOne() => Interlocked.Increment(ref _rtpDelivered);

    internal void RtcpDeliveredOne() => Interlocked.Increment(ref _rtcpDelivered);

    internal void Sent() => Interlocked.Increment(ref _datagramsSent);

    internal void Sent(int count) => Interlocked.Add(ref _datagramsSent, count);

    internal void SendFailed() => Interlocked.Increment(ref _sendFailures);

    internal void HandshakeSucceeded() => Interlocked.Increment(ref _handshakesSucceeded);

    internal void HandshakeFailed() => Interlocked.Increment(ref _handshakesFailed);
}
