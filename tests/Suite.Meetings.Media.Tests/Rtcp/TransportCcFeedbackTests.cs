using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtcp;

public sealed class TransportCcFeedbackTests
{
    /// <summary>
    /// Written by hand from draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: base 100, 4 statuses, reference
    /// time 1 (64 ms), feedback count 7; one two-bit vector chunk [small, not received, large, small] = 0xD240;
    /// deltas +4 (1 ms), −8 (−2 ms), +255 (63.75 ms); two bytes of RTCP padding.
    /// </summary>
    private static readonly byte[] HandWritten = Hex.Parse("""
        AF CD 00 06  00 00 00 01  00 00 00 02
        00 64 00 04  00 00 01 07
        D2 40  04  FF F8  FF  00 02
        """);

    [Fact]
    public void Hand_written_feedback_is_decoded()
    {
        RtcpPacket packet = RtcpFeedbackTests.Single(HandWritten);
        Span<TransportCcPacket> packets = stackalloc TransportCcPacket[16];
        Assert.True(TransportCcFeedback.TryParse(packet, out uint sender, out uint media, out byte fbCount, packets, out int count, out RtcpParseError error), error.ToString());
        Assert.Equal(1u, sender);
        Assert.Equal(2u, media);
        Assert.Equal(7, fbCount);
        Assert.Equal(
            [
                new TransportCcPacket(100, TransportCcStatus.ReceivedSmallDelta, 65_000),
                new TransportCcPacket(101, TransportCcStatus.NotReceived, 0),
                new TransportCcPacket(102, TransportCcStatus.ReceivedLargeDelta, 63_000),
                new TransportCcPacket(103, TransportCcStatus.ReceivedSmallDelta, 126_750),
            ],
            packets[..count].ToArray());
    }

    [Fact]
    public void Writer_reproduces_the_hand_written_feedback()
    {
        long[] arrivals = [65_000, -1, 63_000, 126_750];
        byte[] buffer = new byte[64];
        int length = TransportCcFeedback.Write(buffer, 1, 2, 100, 7, arrivals);
        Assert.Equal(Convert.ToHexString(HandWritten), Convert.ToHexString(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Run_length_and_one_bit_vector_chunks_decode()
    {
        // Run of 20 "small delta" (0x2014), then a one-bit vector of 3 symbols [1,0,1] (0xA000), 23 statuses.
        string deltas = string.Concat(Enumerable.Repeat("01 ", 22));
        byte[] feedback = Hex.Parse("8F CD 00 0B  00 00 00 01  00 00 00 02  FF FE 00 17  FF FF FF 00  20 14 A8 00 " + deltas + "00 00");
        Span<TransportCcPacket> packets = stackalloc TransportCcPacket[32];
        Assert.True(TransportCcFeedback.TryParse(RtcpFeedbackTests.Single(feedback), out _, out _, out _, packets, out int count, out RtcpParseError error), error.ToString());
        Assert.Equal(23, count);
        Assert.Equal((ushort)65534, packets[0].SequenceNumber);
        Assert.Equal((ushort)20, packets[22].SequenceNumber); // wrapped
        Assert.Equal(-64_000 + 250, packets[0].ArrivalMicroseconds); // reference time −1
        Assert.Equal(TransportCcStatus.NotReceived, packets[21].Status);
        Assert.Equal(-64_000 + (22 * 250), packets[22].ArrivalMicroseconds);
    }

    [Fact]
    public void Random_feedback_round_trips_through_writer_and_parser()
    {
        var random = new Random(8888);
        byte[] buffer = new byte[16384];
        Span<TransportCcPacket> decoded = new TransportCcPacket[4096];
        for (int round = 0; round < 300; round++)
        {
            int n = random.Next(1, 1500);
            long clock = random.NextInt64(0, 0x7FFFFFL * 64_000);
            var arrivals = new long[n];
            for (int i = 0; i < n; i++)
            {
                bool lost = random.Next(round % 3 == 0 ? 2 : 20) == 0;
                clock = Math.Max(0, clock + (random.Next(10) == 0 ? random.Next(-5_000, 60_000) : random.Next(0, 2_000)));
                arrivals[i] = lost ? -1 : clock;
            }

            ushort baseSequence = (ushort)random.Next(65536);
            int length = TransportCcFeedback.Write(buffer, 11, 22, baseSequence, (byte)round, arrivals);
            Assert.True(length > 0, $"round {round}");
            Assert.True(TransportCcFeedback.TryParse(RtcpFeedbackTests.Single(buffer.AsSpan(0, length)), out _, out _, out byte fbCount, decoded, out int count, out RtcpParseError error), error.ToString());
            Assert.Equal((byte)round, fbCount);
            Assert.Equal(n, count);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal((ushort)(baseSequence + i), decoded[i].SequenceNumber);
                Assert.Equal(arrivals[i] >= 0, decoded[i].Received);
                if (arrivals[i] >= 0)
                {
                    // Arrival times are carried at 250 µs resolution without accumulating rounding error.
                    Assert.InRange(decoded[i].ArrivalMicroseconds - arrivals[i], -125, 125);
                }
            }
        }
    }

    [Fact]
    public void Reference_time_wraps_modulo_2_pow_24_and_keeps_relative_times()
    {
        long start = (3L << 24) * 64_000 + (5 * 64_000) + 1_000; // about 34 days of receiver uptime
        long[] arrivals = [start, -1, start + 20_000, start + 21_000];
        byte[] buffer = new byte[64];
        int length = TransportCcFeedback.Write(buffer, 1, 2, 0, 0, arrivals);
        Span<TransportCcPacket> decoded = stackalloc TransportCcPacket[8];
        Assert.True(TransportCcFeedback.TryParse(RtcpFeedbackTests.Single(buffer.AsSpan(0, length)), out _, out _, out _, decoded, out int count, out _));
        Assert.Equal(4, count);
        Assert.Equal((5 * 64_000) + 1_000, decoded[0].ArrivalMicroseconds);
        Assert.Equal(20_000, decoded[2].ArrivalMicroseconds - decoded[0].ArrivalMicroseconds);
        Assert.Equal(1_000, decoded[3].ArrivalMicroseconds - decoded[2].ArrivalMicroseconds);
    }

    [Fact]
    public void Writer_refuses_deltas_beyond_16_bits_and_empty_lists()
    {
        byte[] buffer = new byte[64];
        Assert.Equal(0, TransportCcFeedback.Write(buffer, 1, 2, 0, 0, [0, 9_000_000]));
        Assert.Equal(0, TransportCcFeedback.Write(buffer, 1, 2, 0, 0, []));
        Assert.Equal(0, TransportCcFeedback.Write(new byte[20], 1, 2, 0, 0, [0, 250]));
    }

    [Theory]
    [InlineData("8F CD 00 04  00 00 00 01  00 00 00 02  00 00 00 00  00 00 00 00")] // zero statuses
    [InlineData("8F CD 00 04  00 00 00 01  00 00 00 02  00 00 00 05  00 00 00 00")] // chunks missing
    [InlineData("8F CD 00 05  00 00 00 01  00 00 00 02  00 00 00 01  00 00 00 00  60 01 00 00")] // run of reserved status 3
    [InlineData("8F CD 00 05  00 00 00 01  00 00 00 02  00 00 00 01  00 00 00 00  20 00 00 00")] // run length 0
    [InlineData("8F CD 00 05  00 00 00 01  00 00 00 02  00 00 00 01  00 00 00 00  F0 00 00 00")] // two-bit vector with symbol 3
    [InlineData("8F CD 00 05  00 00 00 01  00 00 00 02  00 00 00 02  00 00 00 00  40 02 01 00")] // second large delta cut off
    [InlineData("8F CD 00 02  00 00 00 01  00 00 00 02")] // no FCI
    public void Malformed_feedback_is_rejected(string hex)
    {
        Span<TransportCcPacket> packets = stackalloc TransportCcPacket[16];
        Assert.False(TransportCcFeedback.TryParse(RtcpFeedbackTests.Single(Hex.Parse(hex)), out _, out _, out _, packets, out int count, out RtcpParseError error));
        Assert.Equal(RtcpParseError.Malformed, error);
        Assert.Equal(0, count);
    }

    [Fact]
    public void More_statuses_than_the_destination_holds_is_reported()
    {
        byte[] feedback = Hex.Parse("8F CD 00 05  00 00 00 01  00 00 00 02  00 00 1F FF  00 00 00 00  1F FF 00 00");
        Span<TransportCcPacket> packets = stackalloc TransportCcPacket[16];
        Assert.False(TransportCcFeedback.TryParse(RtcpFeedbackTests.Single(feedback), out _, out _, out _, packets, out _, out RtcpParseError error));
        Assert.Equal(RtcpParseError.DestinationTooSmall, error);
    }
}
