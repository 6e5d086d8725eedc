using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtcp;

public sealed class RtcpCompoundReaderTests
{
    [Fact]
    public void Feedback_alone_is_accepted_as_reduced_size_rtcp()
    {
        byte[] pli = new byte[12];
        Assert.Equal(12, RtcpWriter.WritePictureLossIndication(pli, 1, 2));
        Assert.True(RtcpCompoundReader.IsValid(pli, out RtcpParseError error), error.ToString());
    }

    [Fact]
    public void Length_pointing_past_the_datagram_stops_the_walk()
    {
        byte[] rr = Hex.Parse("80 C9 00 01  00 00 00 01   81 C9 00 07  00 00 00 01");
        var reader = new RtcpCompoundReader(rr);
        Assert.True(reader.MoveNext());
        Assert.False(reader.MoveNext());
        Assert.Equal(RtcpParseError.Truncated, reader.Error);
    }

    [Theory]
    [InlineData("40 C9 00 01 00 00 00 01", (int)RtcpParseError.BadVersion)]
    [InlineData("A0 C9 00 01 00 00 00 00", (int)RtcpParseError.BadPadding)] // padding count 0
    [InlineData("A0 C9 00 01 00 00 00 09", (int)RtcpParseError.BadPadding)] // padding longer than the body
    [InlineData("80 C9 00", (int)RtcpParseError.Truncated)]
    [InlineData("", (int)RtcpParseError.Truncated)]
    public void Bad_packets_are_reported_by_reason(string hex, int expected)
    {
        Assert.False(RtcpCompoundReader.IsValid(Hex.Parse(hex), out RtcpParseError error));
        Assert.Equal((RtcpParseError)expected, error);
    }

    [Fact]
    public void Padding_is_excluded_from_the_body()
    {
        byte[] padded = Hex.Parse("A0 C9 00 02  00 00 00 05  00 00 00 04");
        var reader = new RtcpCompoundReader(padded);
        Assert.True(reader.MoveNext());
        Assert.Equal(4, reader.Current.Body.Length);
        Assert.Equal(5u, reader.Current.SenderSsrc);
        Assert.True(reader.Current.HasPadding);
    }

    [Fact]
    public void Every_truncation_of_a_valid_compound_is_detected()
    {
        byte[] buffer = new byte[256];
        int length = RtcpWriter.WriteReceiverReport(buffer, 1, [new RtcpReportBlock(2, 0, 0, 0, 0, 0, 0)]);
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), 1, "cname"u8);
        length += RtcpWriter.WriteRemb(buffer.AsSpan(length), 1, 1_000_000, [2]);
        Assert.True(RtcpCompoundReader.IsValid(buffer.AsSpan(0, length), out _));

        int[] boundaries = [32, 32 + 16, length];
        for (int cut = 1; cut < length; cut++)
        {
            bool valid = RtcpCompoundReader.IsValid(buffer.AsSpan(0, cut), out RtcpParseError error);
            Assert.Equal(boundaries.Contains(cut), valid);
            if (!valid)
            {
                Assert.Equal(RtcpParseError.Truncated, error);
            }
        }
    }
}
