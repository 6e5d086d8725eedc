using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>
/// Encodes packet statuses into chunks and deltas for <see cref="TransportCcFeedback.Write"/>. Long runs of one status
/// become run-length chunks; otherwise a 14-symbol one-bit vector when only "not received"/"small delta" follow,
/// else a 7-symbol two-bit vector.
/// </summary>
internal static class TransportCcWriter
{
    private const int RunLengthThreshold = 14;
    private const int MaxRunLength = 0x1FFF;

    public static int Write(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        ushort baseSequence,
        int referenceField,
        byte feedbackCount,
        ReadOnlySpan<long> arrivals,
        long origin,
        ReadOnlySpan<byte> statuses)
    {
        const int fixedLength = RtcpPacket.HeaderLength + RtcpFeedback.CommonLength + TransportCcFeedback.FixedFciLength;
        if (destination.Length < fixedLength)
        {
            return 0;
        }

        int position = fixedLength;
        if (!WriteChunks(destination, ref position, statuses) || !WriteDeltas(destination, ref position, arrivals, origin, statuses))
        {
            return 0;
        }

        int padding = (4 - (position & 3)) & 3;
        int total = position + padding;
        if (total > destination.Length || total > RtcpHeaderWriter.MaxPacketLength)
        {
            return 0;
        }

        if (padding > 0)
        {
            destination[position..total].Clear();
            destination[total - 1] = (byte)padding;
        }

        RtcpHeaderWriter.Write(destination, RtcpFeedbackFormat.TransportCc, RtcpPacketType.TransportFeedback, total, padding > 0);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], baseSequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], (ushort)statuses.Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], ((uint)referenceField << 8) | feedbackCount);
        return total;
    }

    private static bool WriteChunks(Span<byte> destination, ref int position, ReadOnlySpan<byte> statuses)
    {
        int i = 0;
        while (i < statuses.Length)
        {
            if (position + 2 > destination.Length)
            {
                return false;
            }

            int run = RunLength(statuses, i);
            ushort chunk;
            if (run >= RunLengthThreshold)
            {
                chunk = (ushort)((statuses[i] << 13) | run);
                i += run;
            }
            else if (FitsOneBit(statuses, i, out int take))
            {
                chunk = 0x8000;
                for (int k = 0; k < take; k++)
                {
                    chunk |= (ushort)(statuses[i + k] << (13 - k));
                }

                i += take;
            }
            else
            {
                take = Math.Min(7, statuses.Length - i);
                chunk = 0xC000;
                for (int k = 0; k < take; k++)
                {
                    chunk |= (ushort)(statuses[i + k] << (12 - (2 * k)));
                }

                i += take;
            }

            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], chunk);
            position += 2;
        }

        return true;
    }

    private static int RunLength(ReadOnlySpan<byte> statuses, int start)
    {
        int end = start + 1;
        while (end < statuses.Length && statuses[end] == statuses[start] && end - start < MaxRunLength)
        {
            end++;
        }

        return end - start;
    }

    private static bool FitsOneBit(ReadOnlySpan<byte> statuses, int start, out int take)
    {
        take = Math.Min(14, statuses.Length - start);
        for (int k = 0; k < take; k++)
        {
            if (statuses[start + k] > (byte)TransportCcStatus.ReceivedSmallDelta)
            {
                return false;
            }
        }

        return true;
    }

    private static bool WriteDeltas(Span<byte> destination, ref int position, ReadOnlySpan<long> arrivals, long origin, ReadOnlySpan<byte> statuses)
    {
        long previousTicks = TransportCcFeedback.ToTicks(origin);
        for (int i = 0; i < statuses.Length; i++)
        {
            var status = (TransportCcStatus)statuses[i];
            if (status == TransportCcStatus.NotReceived)
            {
                continue;
            }

            long ticks = TransportCcFeedback.ToTicks(arrivals[i]);
            int delta = (int)(ticks - previousTicks);
            previousTicks = ticks;
            if (status == TransportCcStatus.ReceivedSmallDelta)
            {
                if (position + 1 > destination.Length)
                {
                    return false;
                }

                destination[position++] = (byte)delta;
            }
            else
            {
                if (position + 2 > destination.Length)
                {
                    return false;
                }

                BinaryPrimitives.WriteInt16BigEndian(destination[position..], (short)delta);
                position += 2;
            }
        }

        return true;
    }
}
