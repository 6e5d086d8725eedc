using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>
/// Builds single RTCP packets into a caller buffer; concatenate them for a compound packet. Every method returns the
/// bytes written, or 0 when the buffer is too small or an argument cannot be encoded.
/// </summary>
internal static class RtcpWriter
{
    private const int MaxCount = 31;

    public static int WriteSenderReport(
        Span<byte> destination, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount,
        ReadOnlySpan<RtcpReportBlock> blocks)
    {
        int total = 28 + (blocks.Length * RtcpReportBlock.Length);
        if (blocks.Length > MaxCount || destination.Length < total)
        {
            return 0;
        }

        RtcpHeaderWriter.Write(destination, (byte)blocks.Length, RtcpPacketType.SenderReport, total);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], octetCount);
        WriteBlocks(destination[28..], blocks);
        return total;
    }

    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        int total = 8 + (blocks.Length * RtcpReportBlock.Length);
        if (blocks.Length > MaxCount || destination.Length < total)
        {
            return 0;
        }

        RtcpHeaderWriter.Write(destination, (byte)blocks.Length, RtcpPacketType.ReceiverReport, total);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        WriteBlocks(destination[8..], blocks);
        return total;
    }

    /// <summary>An SDES packet with one chunk holding a CNAME item (RFC 3550 §6.5.1).</summary>
    public static int WriteSdesCname(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname)
    {
        int itemsEnd = 4 + 4 + 2 + cname.Length;
        int total = (itemsEnd + 4) & ~3;
        if (cname.Length > byte.MaxValue || destination.Length < total)
        {
            return 0;
        }

        RtcpHeaderWriter.Write(destination, 1, RtcpPacketType.SourceDescription, total);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = RtcpSdesItem.Cname;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        destination[itemsEnd..total].Clear();
        return total;
    }

    public static int WriteGoodbye(Span<byte> destination, ReadOnlySpan<uint> ssrcs, ReadOnlySpan<byte> reason = default)
    {
        int reasonEnd = 4 + (4 * ssrcs.Length) + (reason.IsEmpty ? 0 : 1 + reason.Length);
        int total = (reasonEnd + 3) & ~3;
        if (ssrcs.Length > MaxCount || reason.Length > byte.MaxValue || destination.Length < total)
        {
            return 0;
        }

        RtcpHeaderWriter.Write(destination, (byte)ssrcs.Length, RtcpPacketType.Goodbye, total);
        for (int i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 + (4 * i))..], ssrcs[i]);
        }

        if (!reason.IsEmpty)
        {
            int at = 4 + (4 * ssrcs.Length);
            destination[at] = (byte)reason.Length;
            reason.CopyTo(destination[(at + 1)..]);
        }

        destination[reasonEnd..total].Clear();
        return total;
    }

    /// <summary>
    /// Generic NACK for <paramref name="lost"/> (in sending order; wrap-around allowed): each number within 16 after
    /// the current entry's packet ID goes into its bitmask, otherwise it starts a new entry.
    /// </summary>
    public static int WriteNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        if (lost.IsEmpty || destination.Length < 16)
        {
            return 0;
        }

        int position = 12;
        ushort packetId = lost[0];
        ushort bitmask = 0;
        for (int i = 1; i < lost.Length; i++)
        {
            int distance = (ushort)(lost[i] - packetId);
            if (distance is >= 1 and <= 16)
            {
                bitmask |= (ushort)(1 << (distance - 1));
                continue;
            }

            if (!WriteNackEntry(destination, ref position, packetId, bitmask))
            {
                return 0;
            }

            packetId = lost[i];
            bitmask = 0;
        }

        if (!WriteNackEntry(destination, ref position, packetId, bitmask) || position > RtcpHeaderWriter.MaxPacketLength)
        {
            return 0;
        }

        WriteFeedbackHeader(destination, RtcpFeedbackFormat.GenericNack, RtcpPacketType.TransportFeedback, position, senderSsrc, mediaSsrc);
        return position;
    }

    public static int WritePictureLossIndication(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (destination.Length < 12)
        {
            return 0;
        }

        WriteFeedbackHeader(destination, RtcpFeedbackFormat.PictureLossIndication, RtcpPacketType.PayloadFeedback, 12, senderSsrc, mediaSsrc);
        return 12;
    }

    /// <summary>FIR for one media sender; the media source field is 0 as RFC 5104 §4.3.1.2 requires.</summary>
    public static int WriteFullIntraRequest(Span<byte> destination, uint senderSsrc, uint targetSsrc, byte sequenceNumber)
    {
        if (destination.Length < 20)
        {
            return 0;
        }

        WriteFeedbackHeader(destination, RtcpFeedbackFormat.FullIntraRequest, RtcpPacketType.PayloadFeedback, 20, senderSsrc, 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], targetSsrc);
        destination[16] = sequenceNumber;
        destination[17..20].Clear();
        return 20;
    }

    /// <summary>REMB: <paramref name="bitrate"/> is encoded as an 18-bit mantissa and a 6-bit exponent, rounded down.</summary>
    public static int WriteRemb(Span<byte> destination, uint senderSsrc, ulong bitrate, ReadOnlySpan<uint> ssrcs)
    {
        int total = 20 + (4 * ssrcs.Length);
        if (ssrcs.Length > byte.MaxValue || destination.Length < total)
        {
            return 0;
        }

        int exponent = 0;
        while ((bitrate >> exponent) > 0x3FFFF)
        {
            exponent++;
        }

        uint mantissa = (uint)(bitrate >> exponent);
        WriteFeedbackHeader(destination, RtcpFeedbackFormat.ApplicationLayer, RtcpPacketType.PayloadFeedback, total, senderSsrc, 0);
        "REMB"u8.CopyTo(destination[12..]);
        destination[16] = (byte)ssrcs.Length;
        destination[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], (ushort)mantissa);
        for (int i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(20 + (4 * i))..], ssrcs[i]);
        }

        return total;
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination[(i * RtcpReportBlock.Length)..]);
        }
    }

    private static bool WriteNackEntry(Span<byte> destination, ref int position, ushort packetId, ushort bitmask)
    {
        if (position + 4 > destination.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[position..], packetId);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 2)..], bitmask);
        position += 4;
        return true;
    }

    private static void WriteFeedbackHeader(Span<byte> destination, byte format, byte packetType, int total, uint senderSsrc, uint mediaSsrc)
    {
        RtcpHeaderWriter.Write(destination, format, packetType, total);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }
}
