using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>
/// The common part of RTPFB/PSFB feedback packets (RFC 4585 §6.1): sender SSRC, media source SSRC and the
/// feedback control information (FCI).
/// </summary>
internal readonly ref struct RtcpFeedback
{
    public const int CommonLength = 8;

    private RtcpFeedback(ReadOnlySpan<byte> body)
    {
        SenderSsrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        MediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        Fci = body[CommonLength..];
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public ReadOnlySpan<byte> Fci { get; }

    public static bool TryParse(in RtcpPacket packet, byte packetType, byte format, out RtcpFeedback feedback, out RtcpParseError error)
    {
        feedback = default;
        if (!packet.Is(packetType, format))
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        if (packet.Body.Length < CommonLength)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        feedback = new RtcpFeedback(packet.Body);
        error = RtcpParseError.None;
        return true;
    }
}
