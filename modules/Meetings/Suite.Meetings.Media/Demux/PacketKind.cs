namespace Suite.Meetings.Media.Demux;

/// <summary>What a datagram arriving on the shared media port carries, decided from its first bytes.</summary>
internal enum PacketKind : byte
{
    /// <summary>Empty, or a first byte that no protocol multiplexed on the port claims.</summary>
    Unknown = 0,

    /// <summary>STUN (ICE connectivity checks), first byte 0–3.</summary>
    Stun,

    /// <summary>ZRTP, first byte 16–19. Not used by WebRTC; dropped by the transport.</summary>
    Zrtp,

    /// <summary>DTLS record, first byte 20–63.</summary>
    Dtls,

    /// <summary>TURN ChannelData, first byte 64–79. Not used by an ICE-lite server; dropped.</summary>
    TurnChannel,

    /// <summary>RTP (first byte 128–191, second byte not an RTCP packet type).</summary>
    Rtp,

    /// <summary>RTCP (first byte 128–191, second byte 192–223, RFC 5761 §4).</summary>
    Rtcp,
}
