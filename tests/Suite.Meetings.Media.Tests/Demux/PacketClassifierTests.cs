using Suite.Meetings.Media.Demux;

namespace Suite.Meetings.Media.Tests.Demux;

public sealed class PacketClassifierTests
{
    [Theory]
    [InlineData(0, (int)PacketKind.Stun)]
    [InlineData(3, (int)PacketKind.Stun)]
    [InlineData(4, (int)PacketKind.Unknown)]
    [InlineData(15, (int)PacketKind.Unknown)]
    [InlineData(16, (int)PacketKind.Zrtp)]
    [InlineData(19, (int)PacketKind.Zrtp)]
    [InlineData(20, (int)PacketKind.Dtls)]
    [InlineData(22, (int)PacketKind.Dtls)]
    [InlineData(63, (int)PacketKind.Dtls)]
    [InlineData(64, (int)PacketKind.TurnChannel)]
    [InlineData(79, (int)PacketKind.TurnChannel)]
    [InlineData(80, (int)PacketKind.Unknown)]
    [InlineData(127, (int)PacketKind.Unknown)]
    [InlineData(192, (int)PacketKind.Unknown)]
    [InlineData(255, (int)PacketKind.Unknown)]
    public void First_byte_ranges_follow_RFC_7983(int first, int expected)
    {
        byte[] datagram = [(byte)first, 96, 0, 0];
        Assert.Equal((PacketKind)expected, PacketClassifier.Classify(datagram));
    }

    [Theory]
    [InlineData(0x80, 0, (int)PacketKind.Rtp)]
    [InlineData(0x80, 111, (int)PacketKind.Rtp)]
    [InlineData(0x80, 96 | 0x80, (int)PacketKind.Rtp)] // PT 96 with marker = 224: not an RTCP type
    [InlineData(0x80, 191, (int)PacketKind.Rtp)] // PT 63 with marker
    [InlineData(0x80, 192, (int)PacketKind.Rtcp)] // FIR (old), lowest RTCP type range bound
    [InlineData(0x81, 200, (int)PacketKind.Rtcp)] // SR
    [InlineData(0x81, 201, (int)PacketKind.Rtcp)] // RR
    [InlineData(0x8F, 205, (int)PacketKind.Rtcp)] // RTPFB transport-cc
    [InlineData(0x81, 206, (int)PacketKind.Rtcp)] // PSFB PLI
    [InlineData(0x80, 223, (int)PacketKind.Rtcp)]
    [InlineData(0xBF, 224, (int)PacketKind.Rtp)]
    public void Rtp_and_rtcp_are_told_apart_by_the_second_byte(int first, int second, int expected)
    {
        byte[] datagram = [(byte)first, (byte)second, 0, 0];
        Assert.Equal((PacketKind)expected, PacketClassifier.Classify(datagram));
    }

    [Fact]
    public void Empty_and_one_byte_rtp_range_datagrams_are_unknown()
    {
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([]));
        Assert.Equal(PacketKind.Unknown, PacketClassifier.Classify([0x80]));
        Assert.Equal(PacketKind.Stun, PacketClassifier.Classify([0x00]));
    }
}
