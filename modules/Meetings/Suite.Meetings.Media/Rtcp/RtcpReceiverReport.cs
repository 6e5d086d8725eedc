using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>A receiver report (RFC 3550 §6.4.2).</summary>
internal readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _blocks;

    private RtcpReceiverReport(ReadOnlySpan<byte> body, int reportCount)
    {
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body);
        ReportCount = reportCount;
        _blocks = body.Slice(4, reportCount * RtcpReportBlock.Length);
    }

    public uint Ssrc { get; }

    public int ReportCount { get; }

    public static bool TryParse(in RtcpPacket packet, out RtcpReceiverReport report, out RtcpParseError error)
    {
        report = default;
        if (packet.PacketType != RtcpPacketType.ReceiverReport)
        {
            error = RtcpParseError.WrongType;
            return false;
        }

        int count = packet.Count;
        if (packet.Body.Length < 4 + (count * RtcpReportBlock.Length))
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        report = new RtcpReceiverReport(packet.Body, count);
        error = RtcpParseError.None;
        return true;
    }

    public RtcpReportBlock GetReportBlock(int index) =>
        RtcpReportBlock.Read(_blocks.Slice(
            RtcpGuard.Index(index, ReportCount) * RtcpReportBlock.Length, RtcpReportBlock.Length));
}
