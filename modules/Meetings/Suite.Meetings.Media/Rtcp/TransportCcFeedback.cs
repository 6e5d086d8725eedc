using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>Reception status of one packet in a transport-wide feedback message.</summary>
internal enum TransportCcStatus : byte
{
    NotReceived = 0,

    /// <summary>Received; delta 0–63.75 ms, carried in one byte.</summary>
    ReceivedSmallDelta = 1,

    /// <summary>Received; delta negative or larger, carried in two signed bytes.</summary>
    ReceivedLargeDelta = 2,
}

/// <summary>One packet of a transport-wide feedback message, with its arrival time when received.</summary>
internal readonly record struct TransportCcPacket(ushort SequenceNumber, TransportCcStatus Status, long ArrivalMicroseconds)
{
    public bool Received => Status != TransportCcStatus.NotReceived;
}

/// <summary>
/// Transport-wide congestion control feedback, RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
/// Arrival times are in microseconds in the receiver's time base: reference time × 64 ms plus the running sum of
/// deltas (250 µs units).
/// </summary>
internal static class TransportCcFeedback
{
    public const int MicrosecondsPerDeltaTick = 250;
    public const int MicrosecondsPerReferenceTick = 64_000;
    public const int FixedFciLength = 8;

    private const int OneBitVectorCapacity = 14;
    private const int TwoBitVectorCapacity = 7;
    private const int MaxRunLength = 0x1FFF;

    /// <summary>
    /// Decodes every packet status into <paramref name="destination"/>; <paramref name="count"/> is how many.
    /// </summary>
    public static bool TryParse(
        in RtcpPacket packet,
        out uint senderSsrc,
        out uint mediaSsrc,
        out byte feedbackCount,
        Span<TransportCcPacket> destination,
        out int count,
        out RtcpParseError error)
    {
        senderSsrc = 0;
        mediaSsrc = 0;
        feedbackCount = 0;
        count = 0;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.TransportCc, out RtcpFeedback fb, out error))
        {
            return false;
        }

        ReadOnlySpan<byte> fci = fb.Fci;
        if (fci.Length < FixedFciLength)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        senderSsrc = fb.SenderSsrc;
        mediaSsrc = fb.MediaSsrc;
        ushort baseSequence = BinaryPrimitives.ReadUInt16BigEndian(fci);
        int statusCount = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
        int referenceTime = (int)BinaryPrimitives.ReadUInt32BigEndian(fci[4..]) >> 8;
        feedbackCount = fci[7];
        if (statusCount == 0)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        if (statusCount > destination.Length)
        {
            error = RtcpParseError.DestinationTooSmall;
            return false;
        }

        int position = FixedFciLength;
        error = ReadChunks(fci, ref position, statusCount, destination);
        if (error == RtcpParseError.None)
        {
            error = ReadDeltas(fci, position, baseSequence, (long)referenceTime * MicrosecondsPerReferenceTick, destination[..statusCount]);
        }

        count = error == RtcpParseError.None ? statusCount : 0;
        return error == RtcpParseError.None;
    }

    /// <summary>
    /// Writes a complete feedback packet for consecutive sequence numbers starting at <paramref name="baseSequence"/>.
    /// <paramref name="arrivalMicroseconds"/>[i] is the arrival time of packet base+i on the receiver's clock, or a
    /// negative value when it was not received. The reference time is the first arrival rounded down to 64 ms,
    /// sent modulo 2^24 as the draft allows (the sender only uses differences). Fails (returns 0) when the buffer is
    /// too small, the list is empty or longer than 65535, or a delta does not fit 16 signed bits (split the feedback).
    /// </summary>
    public static int Write(
        Span<byte> destination,
        uint senderSsrc,
        uint mediaSsrc,
        ushort baseSequence,
        byte feedbackCount,
        ReadOnlySpan<long> arrivalMicroseconds)
    {
        int n = arrivalMicroseconds.Length;
        if (n is 0 or > ushort.MaxValue)
        {
            return 0;
        }

        long referenceTicks = FirstArrival(arrivalMicroseconds) / MicrosecondsPerReferenceTick;
        long origin = referenceTicks * MicrosecondsPerReferenceTick;
        int referenceField = (int)(referenceTicks & 0xFFFFFF);

        byte[]? rented = null;
        Span<byte> statuses = n <= 1024 ? stackalloc byte[n] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(n)).AsSpan(0, n);
        try
        {
            if (!ComputeStatuses(arrivalMicroseconds, origin, statuses))
            {
                return 0;
            }

            return TransportCcWriter.Write(
                destination, senderSsrc, mediaSsrc, baseSequence, referenceField, feedbackCount, arrivalMicroseconds, origin, statuses);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static long FirstArrival(ReadOnlySpan<long> arrivals)
    {
        foreach (long arrival in arrivals)
        {
            if (arrival >= 0)
            {
                return arrival;
            }
        }

        return 0;
    }

    /// <summary>Deltas in 250 µs ticks, computed on rounded absolute ticks so that rounding errors do not accumulate.</summary>
    internal static long ToTicks(long microseconds) =>
        (long)Math.Round(microseconds / (double)MicrosecondsPerDeltaTick, MidpointRounding.AwayFromZero);

    private static bool ComputeStatuses(ReadOnlySpan<long> arrivals, long origin, Span<byte> statuses)
    {
        long previousTicks = ToTicks(origin);
        for (int i = 0; i < arrivals.Length; i++)
        {
            if (arrivals[i] < 0)
            {
                statuses[i] = (byte)TransportCcStatus.NotReceived;
                continue;
            }

            long ticks = ToTicks(arrivals[i]);
            long delta = ticks - previousTicks;
            if (delta is < short.MinValue or > short.MaxValue)
            {
                return false;
            }

            statuses[i] = (byte)(delta is >= 0 and <= byte.MaxValue ? TransportCcStatus.ReceivedSmallDelta : TransportCcStatus.ReceivedLargeDelta);
            previousTicks = ticks;
        }

        return true;
    }

    private static RtcpParseError ReadChunks(ReadOnlySpan<byte> fci, ref int position, int statusCount, Span<TransportCcPacket> output)
    {
        int decoded = 0;
        while (decoded < statusCount)
        {
            if (position + 2 > fci.Length)
            {
                return RtcpParseError.Malformed;
            }

            ushort chunk = BinaryPrimitives.ReadUInt16BigEndian(fci[position..]);
            position += 2;
            if ((chunk & 0x8000) == 0)
            {
                var status = (TransportCcStatus)((chunk >> 13) & 0x03);
                int run = chunk & MaxRunLength;
                if ((int)status == 3 || run == 0)
                {
                    return RtcpParseError.Malformed;
                }

                for (int i = 0; i < run && decoded < statusCount; i++)
                {
                    output[decoded++] = new TransportCcPacket(0, status, 0);
                }
            }
            else if ((chunk & 0x4000) == 0)
            {
                for (int i = 0; i < OneBitVectorCapacity && decoded < statusCount; i++)
                {
                    var status = (TransportCcStatus)((chunk >> (13 - i)) & 0x01);
                    output[decoded++] = new TransportCcPacket(0, status, 0);
                }
            }
            else
            {
                for (int i = 0; i < TwoBitVectorCapacity && decoded < statusCount; i++)
                {
                    int symbol = (chunk >> (12 - (2 * i))) & 0x03;
                    if (symbol == 3)
                    {
                        return RtcpParseError.Malformed;
                    }

                    output[decoded++] = new TransportCcPacket(0, (TransportCcStatus)symbol, 0);
                }
            }
        }

        return RtcpParseError.None;
    }

    private static RtcpParseError ReadDeltas(ReadOnlySpan<byte> fci, int position, ushort baseSequence, long origin, Span<TransportCcPacket> packets)
    {
        long ticks = ToTicks(origin);
        for (int i = 0; i < packets.Length; i++)
        {
            TransportCcStatus status = packets[i].Status;
            ushort sequence = (ushort)(baseSequence + i);
            if (status == TransportCcStatus.NotReceived)
            {
                packets[i] = new TransportCcPacket(sequence, status, 0);
                continue;
            }

            int size = status == TransportCcStatus.ReceivedSmallDelta ? 1 : 2;
            if (position + size > fci.Length)
            {
                return RtcpParseError.Malformed;
            }

            ticks += size == 1 ? fci[position] : BinaryPrimitives.ReadInt16BigEndian(fci[position..]);
            position += size;
            packets[i] = new TransportCcPacket(sequence, status, ticks * MicrosecondsPerDeltaTick);
        }

        return RtcpParseError.None;
    }
}
