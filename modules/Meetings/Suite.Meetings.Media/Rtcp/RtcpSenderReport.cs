using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>A sender report (RFC 3550 §6.4.1). Report blocks are read on demand from the packet.</summary>
internal readonly ref struct RtcpSenderReport
{
    private const int SenderInfoLength = 24;
    private readonly ReadOnlySpan<byte> _blocks;

    private RtcpSenderReport(ReadOnlySpan<byte> body, int reportCount)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        NtpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(body[4..]);
        RtpTimestamp = BinaryPrimitives.ReadUInt32BigEndian(body[12..]);
        PacketCount = BinaryPrimitives.ReadUInt32BigEndian(body[16..]);
        OctetCount = BinaryPrimitives.ReadUInt32BigEndian(body[20..]);
        ReportCount = reportCount;
        _blocks = body.Slice(SenderInfoLength, reportCount * RtcpReportBlock.Length);
    }

    public uint Ssrc { get; }

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word).</summary>
    public ulong NtpTimestamp { get; }

    /// <summary>The middle 32 bits of the NTP timestamp: what receivers echo as LSR.</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);

    public uint RtpTimestamp { get; }

    public uint PacketCount { get; }

    public uint OctetCount { get; }

    public int ReportCount { get; }

    public static bool TryParse(in RtcpPacket packet, out RtcpSenderReport report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.SenderReport)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        int count = packet.Count;
        if (packet.Body.Length < SenderInfoLength + (count * RtcpReportBlock.Length))
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        report = new RtcpSenderReport(packet.Body, count);
        error = RtcpParseError.None;
        return true;
    }

    public RtcpReportBlock GetReportBlock(int index) =>
        RtcpReportBlock.Read(_blocks.Slice(RtcpGuard.Index(index, ReportCount) * RtcpReportBlock.Length, RtcpReportBlock.Length));
}
