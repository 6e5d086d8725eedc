using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtcp;

public sealed class RtcpFeedbackTests
{
    [Fact]
    public void Hand_written_generic_nack_is_expanded_to_lost_sequence_numbers()
    {
        // PID 65534, BLP 0b0000_0000_0000_0101: 65534, 65535 (bit 0), 1 (bit 2, wrapped).
        byte[] nack = Hex.Parse("81 CD 00 03  00 00 00 01  00 00 00 02  FF FE 00 05");
        RtcpPacket packet = Single(nack);
        Assert.True(RtcpNack.TryParse(packet, out RtcpNack parsed, out RtcpParseError error), error.ToString());
        Assert.Equal(1u, parsed.SenderSsrc);
        Assert.Equal(2u, parsed.MediaSsrc);
        Span<ushort> lost = stackalloc ushort[17];
        int count = parsed.GetLostSequenceNumbers(lost);
        Assert.Equal([65534, 65535, 1], lost[..count].ToArray());
        Assert.Equal(-1, parsed.GetLostSequenceNumbers(stackalloc ushort[2]));
    }

    [Fact]
    public void Nack_writer_packs_neighbours_into_bitmasks_across_wraparound()
    {
        ushort[] lost = [65530, 65531, 65535, 3, 100, 116, 117];
        byte[] buffer = new byte[64];
        int length = RtcpWriter.WriteNack(buffer, 10, 20, lost);
        Assert.True(RtcpNack.TryParse(Single(buffer.AsSpan(0, length)), out RtcpNack nack, out _));
        Assert.Equal(3, nack.EntryCount); // {65530..3}, {100..116}, {117}
        Span<ushort> expanded = stackalloc ushort[64];
        int count = nack.GetLostSequenceNumbers(expanded);
        Assert.Equal(lost, expanded[..count].ToArray());
    }

    [Fact]
    public void Nack_without_entries_is_malformed()
    {
        byte[] nack = Hex.Parse("81 CD 00 02  00 00 00 01  00 00 00 02");
        Assert.False(RtcpNack.TryParse(Single(nack), out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.Malformed, error);
    }

    [Fact]
    public void Picture_loss_indication_round_trips()
    {
        byte[] buffer = new byte[12];
        RtcpWriter.WritePictureLossIndication(buffer, 0xAAAA, 0xBBBB);
        Assert.Equal("81CE0002" + "0000AAAA" + "0000BBBB", Convert.ToHexString(buffer));
        RtcpPacket packet = Single(buffer);
        Assert.True(RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.PictureLossIndication, out RtcpFeedback pli, out _));
        Assert.Equal(0xAAAAu, pli.SenderSsrc);
        Assert.Equal(0xBBBBu, pli.MediaSsrc);
        Assert.False(RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.FullIntraRequest, out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.WrongType, error);
    }

    [Fact]
    public void Full_intra_request_round_trips()
    {
        byte[] buffer = new byte[20];
        Assert.Equal(20, RtcpWriter.WriteFullIntraRequest(buffer, 1, 0x12345678, 9));
        Assert.Equal("84CE0004" + "00000001" + "00000000" + "12345678" + "09000000", Convert.ToHexString(buffer));
        Assert.True(RtcpFullIntraRequest.TryParse(Single(buffer), out RtcpFullIntraRequest fir, out _));
        Assert.Equal(1, fir.EntryCount);
        fir.GetEntry(0, out uint ssrc, out byte sequence);
        Assert.Equal(0x12345678u, ssrc);
        Assert.Equal(9, sequence);
    }

    [Fact]
    public void Hand_written_remb_is_decoded()
    {
        // exponent 3, mantissa 0x1D4C0 (120000): 960000 bps, one SSRC.
        byte[] remb = Hex.Parse("8F CE 00 05  00 00 00 01  00 00 00 00  52 45 4D 42  01 0D D4 C0  00 00 00 07");
        Assert.True(RtcpRemb.TryParse(Single(remb), out RtcpRemb parsed, out RtcpParseError error), error.ToString());
        Assert.Equal(960_000UL, parsed.Bitrate);
        Assert.Equal(1, parsed.SsrcCount);
        Assert.Equal(7u, parsed.GetSsrc(0));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(262_143UL)]
    [InlineData(2_500_000UL)]
    [InlineData(30_000_000UL)]
    [InlineData(ulong.MaxValue)]
    public void Remb_writer_keeps_the_bitrate_within_the_mantissa_precision(ulong bitrate)
    {
        byte[] buffer = new byte[32];
        int length = RtcpWriter.WriteRemb(buffer, 1, bitrate, [5, 6]);
        Assert.True(RtcpRemb.TryParse(Single(buffer.AsSpan(0, length)), out RtcpRemb remb, out _));
        Assert.True(remb.Bitrate <= bitrate);
        Assert.True(bitrate - remb.Bitrate <= bitrate >> 17, $"{bitrate} decoded as {remb.Bitrate}");
        Assert.Equal(2, remb.SsrcCount);
    }

    [Fact]
    public void Application_feedback_that_is_not_remb_is_wrong_type()
    {
        byte[] other = Hex.Parse("8F CE 00 04  00 00 00 01  00 00 00 00  41 42 43 44  00 00 00 00");
        Assert.False(RtcpRemb.TryParse(Single(other), out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.WrongType, error);
    }

    [Fact]
    public void Remb_announcing_more_ssrcs_than_present_is_malformed()
    {
        byte[] remb = Hex.Parse("8F CE 00 04  00 00 00 01  00 00 00 00  52 45 4D 42  02 0D D4 C0");
        Assert.False(RtcpRemb.TryParse(Single(remb), out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.Malformed, error);
    }

    internal static RtcpPacket Single(ReadOnlySpan<byte> datagram)
    {
        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext(), reader.Error.ToString());
        RtcpPacket packet = reader.Current;
        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
        return packet;
    }
}
