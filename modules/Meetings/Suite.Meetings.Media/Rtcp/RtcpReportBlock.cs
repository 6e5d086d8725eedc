using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>A reception report block of SR and RR packets (RFC 3550 §6.4.1).</summary>
internal readonly record struct RtcpReportBlock(
    uint Ssrc,
    byte FractionLost,
    int CumulativeLost,
    uint ExtendedHighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    public const int Length = 24;

    /// <summary>The 24-bit signed cumulative loss range.</summary>
    public const int MinCumulativeLost = -0x800000;
    public const int MaxCumulativeLost = 0x7FFFFF;

    public static RtcpReportBlock Read(ReadOnlySpan<byte> source)
    {
        uint lossWord = BinaryPrimitives.ReadUInt32BigEndian(source[4..]);
        int cumulative = (int)(lossWord << 8) >> 8;
        return new RtcpReportBlock(
            BinaryPrimitives.ReadUInt32BigEndian(source),
            (byte)(lossWord >> 24),
            cumulative,
            BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(source[20..]));
    }

    /// <summary>Writes the block; cumulative loss is clamped to its 24-bit signed range (RFC 3550 §6.4.1).</summary>
    public void Write(Span<byte> destination)
    {
        int cumulative = Math.Clamp(CumulativeLost, MinCumulativeLost, MaxCumulativeLost);
        BinaryPrimitives.WriteUInt32BigEndian(destination, Ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ((uint)FractionLost << 24) | ((uint)cumulative & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ExtendedHighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], DelaySinceLastSenderReport);
    }
}
