using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>Full intra request (RFC 5104 §4.3.1): one entry per SSRC asked to send a keyframe.</summary>
internal readonly ref struct RtcpFullIntraRequest
{
    public const int EntryLength = 8;
    private readonly ReadOnlySpan<byte> _fci;

    private RtcpFullIntraRequest(uint senderSsrc, ReadOnlySpan<byte> fci)
    {
        SenderSsrc = senderSsrc;
        _fci = fci;
    }

    public uint SenderSsrc { get; }

    public int EntryCount => _fci.Length / EntryLength;

    public static bool TryParse(in RtcpPacket packet, out RtcpFullIntraRequest fir, out RtcpParseError error)
    {
        fir = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.FullIntraRequest, out RtcpFeedback fb, out error))
        {
            return false;
        }

        if (fb.Fci.IsEmpty || fb.Fci.Length % EntryLength != 0)
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        fir = new RtcpFullIntraRequest(fb.SenderSsrc, fb.Fci);
        return true;
    }

    public void GetEntry(int index, out uint ssrc, out byte sequenceNumber)
    {
        ReadOnlySpan<byte> entry = _fci.Slice(RtcpGuard.Index(index, EntryCount) * EntryLength, EntryLength);
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(entry);
        sequenceNumber = entry[4];
    }
}
