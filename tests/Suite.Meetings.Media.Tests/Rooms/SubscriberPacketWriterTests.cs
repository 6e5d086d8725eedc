using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Tests.Rooms;

public sealed class SubscriberPacketWriterTests
{
    [Theory]
    [InlineData("0", -1, false, 0)]
    [InlineData("1", 0x9E, false, 0)]
    [InlineData("video-0", 0x10, true, 2)]
    [InlineData("a-mid-of-16-char", -1, true, 0)]
    public void The_written_header_is_described_as_parsing_it_would(string mid, int audioLevel, bool padding, int csrcs)
    {
        byte[] source = new byte[12 + (4 * csrcs) + 8 + 100];
        RtpHeaderWriter.WriteFixedHeader(source, marker: true, payloadType: 96, 4242, 123456, 0xCAFEBABE);
        source[0] = (byte)(0x90 | csrcs | (padding ? 0x20 : 0));
        int extension = 12 + (4 * csrcs);
        byte[] block = [0xBE, 0xDE, 0x00, 0x01, 0x22, 0x01, 0x02, 0x03];
        block.CopyTo(source, extension);
        if (padding)
        {
            source[^1] = 4;
        }

        Assert.True(RtpHeader.TryParse(source, out RtpHeader header, out _));
        byte[] destination = new byte[2048];
        int length = SubscriberPacketWriter.Write(destination, source, header, System.Text.Encoding.ASCII.GetBytes(mid), audioLevel, out RtpHeader written);

        Assert.True(length > 0);
        Assert.True(RtpHeader.TryParse(destination.AsSpan(0, length), out RtpHeader parsed, out _));
        Assert.Equal(parsed, written);
        Assert.Equal(header.PayloadLength, written.PayloadLength);
    }
}
