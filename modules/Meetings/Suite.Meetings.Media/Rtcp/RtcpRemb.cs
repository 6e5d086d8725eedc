using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>Receiver estimated maximum bitrate (draft-alvestrand-rmcat-remb-03), carried in PSFB FMT 15.</summary>
internal readonly ref struct RtcpRemb
{
    private static ReadOnlySpan<byte> Identifier => "REMB"u8;

    private readonly ReadOnlySpan<byte> _ssrcs;

    private RtcpRemb(uint senderSsrc, ulong bitrate, ReadOnlySpan<byte> ssrcs)
    {
        SenderSsrc = senderSsrc;
        Bitrate = bitrate;
        _ssrcs = ssrcs;
    }

    public uint SenderSsrc { get; }

    /// <summary>Bits per second (mantissa × 2^exponent; at most 2^18 × 2^63, saturated to <see cref="ulong.MaxValue"/>).</summary>
    public ulong Bitrate { get; }

    public int SsrcCount => _ssrcs.Length / 4;

    public static bool TryParse(in RtcpPacket packet, out RtcpRemb remb, out RtcpParseError error)
    {
        remb = default;
        if (!RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.ApplicationLayer, out RtcpFeedback fb, out error))
        {
            return false;
        }

        ReadOnlySpan<byte> fci = fb.Fci;
        if (fci.Length < 8 || !fci.StartsWith(Identifier))
        {
            error = fci.Length >= 4 && !fci.StartsWith(Identifier) ? RtcpParseError.WrongType : RtcpParseError.Malformed;
            return false;
        }

        int count = fci[4];
        if (fci.Length < 8 + (4 * count))
        {
            error = RtcpParseError.Malformed;
            return false;
        }

        int exponent = fci[5] >> 2;
        ulong mantissa = ((ulong)(fci[5] & 0x03) << 16) | ((ulong)fci[6] << 8) | fci[7];
        ulong bitrate = exponent > 0 && mantissa > (ulong.MaxValue >> exponent) ? ulong.MaxValue : mantissa << exponent;
        remb = new RtcpRemb(fb.SenderSsrc, bitrate, fci.Slice(8, 4 * count));
        return true;
    }

    public uint GetSsrc(int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(_ssrcs[(RtcpGuard.Index(index, SsrcCount) * 4)..]);
}
