using System.Text;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtcp;

public sealed class RtcpReportTests
{
    private static readonly RtcpReportBlock Block = new(
        Ssrc: 0x11223344, FractionLost: 25, CumulativeLost: -3, ExtendedHighestSequence: 0x0001_FFFF,
        Jitter: 120, LastSenderReport: 0xAABBCCDD, DelaySinceLastSenderReport: 65536);

    /// <summary>A sender report written by hand from RFC 3550 §6.4.1 with one block; then an SDES CNAME "ab".</summary>
    private static readonly byte[] HandWrittenCompound = Hex.Parse("""
        81 C8 00 0C  00 00 04 D2
        E9 00 00 00 80 00 00 00  00 00 3C 00  00 00 00 0A  00 00 05 DC
        11 22 33 44  19 FF FF FD  00 01 FF FF  00 00 00 78  AA BB CC DD  00 01 00 00
        81 CA 00 03  00 00 04 D2  01 02 61 62  00 00 00 00
        """);

    [Fact]
    public void Hand_written_compound_packet_is_walked_and_decoded()
    {
        var reader = new RtcpCompoundReader(HandWrittenCompound);
        Assert.True(reader.MoveNext());
        Assert.True(RtcpSenderReport.TryParse(reader.Current, out RtcpSenderReport sr, out RtcpParseError error), error.ToString());
        Assert.Equal(1234u, sr.Ssrc);
        Assert.Equal(0xE900000080000000UL, sr.NtpTimestamp);
        Assert.Equal(0x00008000u, sr.CompactNtp);
        Assert.Equal(15360u, sr.RtpTimestamp);
        Assert.Equal(10u, sr.PacketCount);
        Assert.Equal(1500u, sr.OctetCount);
        Assert.Equal(1, sr.ReportCount);
        Assert.Equal(Block, sr.GetReportBlock(0));

        Assert.True(reader.MoveNext());
        var sdes = new RtcpSdesReader(reader.Current);
        Assert.True(sdes.MoveNext());
        Assert.Equal(1234u, sdes.Current.Ssrc);
        Assert.Equal(RtcpSdesItem.Cname, sdes.Current.Type);
        Assert.Equal("ab", Encoding.ASCII.GetString(sdes.Current.Value));
        Assert.False(sdes.MoveNext());
        Assert.False(sdes.IsMalformed);

        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.None, reader.Error);
    }

    [Fact]
    public void Writers_reproduce_the_hand_written_compound_packet()
    {
        byte[] buffer = new byte[128];
        int length = RtcpWriter.WriteSenderReport(buffer, 1234, 0xE900000080000000, 15360, 10, 1500, [Block]);
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), 1234, "ab"u8);
        Assert.Equal(Convert.ToHexString(HandWrittenCompound), Convert.ToHexString(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Receiver_report_round_trips_with_several_blocks()
    {
        RtcpReportBlock[] blocks = [Block, Block with { Ssrc = 5, CumulativeLost = 0x7FFFFF }, Block with { Ssrc = 6, FractionLost = 255 }];
        byte[] buffer = new byte[256];
        int length = RtcpWriter.WriteReceiverReport(buffer, 77, blocks);
        Assert.Equal(8 + (3 * 24), length);

        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpReceiverReport.TryParse(reader.Current, out RtcpReceiverReport rr, out _));
        Assert.Equal(77u, rr.Ssrc);
        Assert.Equal(3, rr.ReportCount);
        for (int i = 0; i < blocks.Length; i++)
        {
            Assert.Equal(blocks[i], rr.GetReportBlock(i));
        }

        Assert.False(RtcpSenderReport.TryParse(reader.Current, out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.WrongType, error);
    }

    [Fact]
    public void Cumulative_loss_beyond_24_bits_is_clamped_when_written()
    {
        byte[] buffer = new byte[24];
        (Block with { CumulativeLost = int.MaxValue }).Write(buffer);
        Assert.Equal(RtcpReportBlock.MaxCumulativeLost, RtcpReportBlock.Read(buffer).CumulativeLost);
        (Block with { CumulativeLost = int.MinValue }).Write(buffer);
        Assert.Equal(RtcpReportBlock.MinCumulativeLost, RtcpReportBlock.Read(buffer).CumulativeLost);
    }

    [Fact]
    public void Report_count_larger_than_the_body_is_malformed()
    {
        byte[] rr = Hex.Parse("82 C9 00 07  00 00 00 01  " + string.Concat(Enumerable.Repeat("00", 24)));
        var reader = new RtcpCompoundReader(rr);
        Assert.True(reader.MoveNext());
        Assert.False(RtcpReceiverReport.TryParse(reader.Current, out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.Malformed, error);
    }

    [Fact]
    public void Goodbye_round_trips_with_reason()
    {
        byte[] buffer = new byte[64];
        int length = RtcpWriter.WriteGoodbye(buffer, [1, 2], "left"u8);
        Assert.Equal(0, length % 4);
        var reader = new RtcpCompoundReader(buffer.AsSpan(0, length));
        Assert.True(reader.MoveNext());
        Assert.True(RtcpGoodbye.TryParse(reader.Current, out RtcpGoodbye bye, out _));
        Assert.Equal(2, bye.SourceCount);
        Assert.Equal(1u, bye.GetSsrc(0));
        Assert.Equal(2u, bye.GetSsrc(1));
        Assert.Equal("left", Encoding.ASCII.GetString(bye.Reason));
    }

    [Fact]
    public void Goodbye_with_a_reason_longer_than_the_packet_is_malformed()
    {
        byte[] bye = Hex.Parse("81 CB 00 02  00 00 00 01  09 61 62 63");
        var reader = new RtcpCompoundReader(bye);
        Assert.True(reader.MoveNext());
        Assert.False(RtcpGoodbye.TryParse(reader.Current, out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.Malformed, error);
    }

    [Fact]
    public void Sdes_with_several_chunks_and_items_is_walked()
    {
        byte[] sdes = Hex.Parse("""
            82 CA 00 05
            00 00 00 01  01 01 61 06  02 62 63 00
            00 00 00 02  01 00 00 00
            """);
        var reader = new RtcpCompoundReader(sdes);
        Assert.True(reader.MoveNext());
        var items = new List<(uint, byte, string)>();
        var walker = new RtcpSdesReader(reader.Current);
        while (walker.MoveNext())
        {
            items.Add((walker.Current.Ssrc, walker.Current.Type, Encoding.ASCII.GetString(walker.Current.Value)));
        }

        Assert.False(walker.IsMalformed);
        Assert.Equal([(1u, (byte)1, "a"), (1u, (byte)6, "bc"), (2u, (byte)1, "")], items);
    }

    [Fact]
    public void Sdes_item_running_past_the_packet_is_malformed()
    {
        byte[] sdes = Hex.Parse("81 CA 00 02  00 00 00 01  01 09 61 62");
        var reader = new RtcpCompoundReader(sdes);
        Assert.True(reader.MoveNext());
        var walker = new RtcpSdesReader(reader.Current);
        Assert.False(walker.MoveNext());
        Assert.True(walker.IsMalformed);
    }
}
