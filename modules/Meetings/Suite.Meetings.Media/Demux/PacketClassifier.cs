namespace Suite.Meetings.Media.Demux;

/// <summary>
/// Demultiplexes the protocols that share one UDP port by the first byte of each datagram (RFC 7983 §7),
/// and RTP from RTCP by the second byte (RFC 5761 §4: RTCP packet types 192–223 collide with
/// no RTP payload type a peer may use with rtcp-mux).
/// </summary>
internal static class PacketClassifier
{
    public static PacketKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return PacketKind.Unknown;
        }

        byte first = datagram[0];
        return first switch
        {
            <= 3 => PacketKind.Stun,
            >= 16 and <= 19 => PacketKind.Zrtp,
            >= 20 and <= 63 => PacketKind.Dtls,
            >= 64 and <= 79 => PacketKind.TurnChannel,
            >= 128 and <= 191 => ClassifyRtpOrRtcp(datagram),
            _ => PacketKind.Unknown,
        };
    }

    private static PacketKind ClassifyRtpOrRtcp(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < 2)
        {
            return PacketKind.Unknown;
        }

        byte second = datagram[1];
        return second is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp;
    }
}
