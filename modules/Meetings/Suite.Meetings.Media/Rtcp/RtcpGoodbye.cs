using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>A BYE packet (RFC 3550 §6.6): the sources leaving and an optional reason.</summary>
internal readonly ref struct RtcpGoodbye
{
    private readonly ReadOnlySpan<byte> _ssrcs;

    private RtcpGoodbye(ReadOnlySpan<byte> ssrcs, ReadOnlySpan<byte> reason)
    {
        _ssrcs = ssrcs;
        Reason = reason;
    }

    public int SourceCount => _ssrcs.Length / 4;

    public ReadOnlySpan<byte> Reason { get; }

    public static bool TryParse(in RtcpPacket packet, out RtcpGoodbye bye, out RtcpParseError error)
    {
        bye = default;
        if (packet.PacketType != RtcpPacketType.Goodbye)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        ReadOnlySpan<byte> body = packet.Body;
        int ssrcBytes = 4 * packet.Count;
        if (body.Length < ssrcBytes)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (body.Length > ssrcBytes)
        {
            int reasonLength = body[ssrcBytes];
            if (ssrcBytes + 1 + reasonLength > body.Length)
            {
                error = RtcpParseError.Malformed;
                return false;
            }

            reason = body.Slice(ssrcBytes + 1, reasonLength);
        }

        bye = new RtcpGoodbye(body[..ssrcBytes], reason);
        error = RtcpParseError.None;
        return true;
    }

    public uint GetSsrc(int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(_ssrcs[(RtcpGuard.Index(index, SourceCount) * 4)..]);
}
