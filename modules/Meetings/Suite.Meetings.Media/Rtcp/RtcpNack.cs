using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>Generic NACK (RFC 4585 §6.2.1): FCI entries of a packet ID and a bitmask of the 16 following losses.</summary>
internal readonly ref struct RtcpNack
{
    private readonly ReadOnlySpan<byte> _fci;

    private RtcpNack(uint senderSsrc, uint mediaSsrc, ReadOnlySpan<byte> fci)
    {
        SenderSsrc = senderSsrc;
        MediaSsrc = mediaSsrc;
        _fci = fci;
    }

    public uint SenderSsrc { get; }

    public uint MediaSsrc { get; }

    public int EntryCount => _fci.Length / 4;

    /// <summary>The most sequence numbers one entry can name.</summary>
    public const int MaxLostPerEntry = 17;

    public static bool TryParse(in RtcpPacket packet, out RtcpNack nack, out RtcpParseError error)
    {
        nack = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.TransportFeedback, RtcpFeedbackFormat.GenericNack, out RtcpFeedback fb, out error))
        {
            return false;
        }

        if (fb.Fci.IsEmpty || fb.Fci.Length % 4 != 0)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        nack = new RtcpNack(fb.SenderSsrc, fb.MediaSsrc, fb.Fci);
        return true;
    }

    public void GetEntry(int index, out ushort packetId, out ushort lostBitmask)
    {
        ReadOnlySpan<byte> entry = _fci.Slice(RtcpGuard.Index(index, EntryCount) * 4, 4);
        packetId = BinaryPrimitives.ReadUInt16BigEndian(entry);
        lostBitmask = BinaryPrimitives.ReadUInt16BigEndian(entry[2..]);
    }

    /// <summary>
    /// Expands every entry into the lost sequence numbers, in packet order. Returns how many were written, or -1
    /// when <paramref name="destination"/> is too small (at most <see cref="MaxLostPerEntry"/> per entry).
    /// </summary>
    public int GetLostSequenceNumbers(Span<ushort> destination)
    {
        int written = 0;
        for (int i = 0; i < EntryCount; i++)
        {
            GetEntry(i, out ushort packetId, out ushort bitmask);
            if (written >= destination.Length)
            {
                return -1;
            }

            destination[written++] = packetId;
            for (int bit = 0; bit < 16; bit++)
            {
                if ((bitmask & (1 << bit)) == 0)
                {
                    continue;
                }

                if (written >= destination.Length)
                {
                    return -1;
                }

                destination[written++] = (ushort)(packetId + bit + 1);
            }
        }

        return written;
    }
}
