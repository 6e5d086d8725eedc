using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtp;

public sealed class RtpHeaderTests
{
    /// <summary>V=2, X=1, CC=2, M=1, PT=96, seq 0x1234, ts 0xDEADBEEF, SSRC 0xCAFEBABE, 2 CSRCs, one-byte extension, 3-byte payload.</summary>
    private static readonly byte[] Packet = Hex.Parse("""
        92 E0 12 34  DE AD BE EF  CA FE BA BE
        00 00 00 01  00 00 00 02
        BE DE 00 01  10 AB 00 00
        01 02 03
        """);

    [Fact]
    public void Fixed_header_csrcs_extension_and_payload_are_located()
    {
        Assert.True(RtpHeader.TryParse(Packet, out RtpHeader header, out RtpParseError error), error.ToString());
        Assert.False(header.HasPadding);
        Assert.True(header.HasExtension);
        Assert.True(header.Marker);
        Assert.Equal(96, header.PayloadType);
        Assert.Equal(0x1234, header.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, header.Timestamp);
        Assert.Equal(0xCAFEBABEu, header.Ssrc);
        Assert.Equal(2, header.CsrcCount);
        Assert.Equal(1u, header.GetCsrc(Packet, 0));
        Assert.Equal(2u, header.GetCsrc(Packet, 1));
        Assert.Equal(0xBEDE, header.ExtensionProfile);
        Assert.Equal(24, header.ExtensionOffset);
        Assert.Equal(4, header.ExtensionLength);
        Assert.Equal(28, header.HeaderLength);
        Assert.Equal([1, 2, 3], header.GetPayload(Packet).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => header.GetCsrc(Packet, 2));
    }

    [Fact]
    public void Padding_is_removed_from_the_payload()
    {
        byte[] padded = Hex.Parse("A0 00 00 01  00 00 00 00  00 00 00 07  AA BB 00 00 03");
        Assert.True(RtpHeader.TryParse(padded, out RtpHeader header, out _));
        Assert.True(header.HasPadding);
        Assert.Equal(3, header.PaddingLength);
        Assert.Equal([0xAA, 0xBB], header.GetPayload(padded).ToArray());
    }

    [Theory]
    [InlineData("A0 00 00 01  00 00 00 00  00 00 00 07  AA BB 00 00 00")] // padding count 0
    [InlineData("A0 00 00 01  00 00 00 00  00 00 00 07  AA 06")] // padding longer than the payload
    public void Invalid_padding_is_rejected(string hex)
    {
        Assert.False(RtpHeader.TryParse(Hex.Parse(hex), out _, out RtpParseError error));
        Assert.Equal(RtpParseError.BadPadding, error);
    }

    [Fact]
    public void Padding_may_fill_the_whole_payload()
    {
        byte[] padded = Hex.Parse("A0 00 00 01  00 00 00 00  00 00 00 07  00 00 00 04");
        Assert.True(RtpHeader.TryParse(padded, out RtpHeader header, out _));
        Assert.Equal(0, header.PayloadLength);
    }

    [Fact]
    public void Every_truncation_of_the_header_is_reported_as_truncated()
    {
        for (int length = 0; length < 28; length++)
        {
            Assert.False(RtpHeader.TryParse(Packet.AsSpan(0, length), out _, out RtpParseError error));
            Assert.Equal(RtpParseError.Truncated, error);
        }
    }

    [Fact]
    public void Version_other_than_two_is_rejected()
    {
        byte[] copy = (byte[])Packet.Clone();
        copy[0] = (byte)((copy[0] & 0x3F) | 0x40);
        Assert.False(RtpHeader.TryParse(copy, out _, out RtpParseError error));
        Assert.Equal(RtpParseError.BadVersion, error);
    }

    [Fact]
    public void Header_length_ignores_padding_for_srtp()
    {
        byte[] encryptedLooking = Hex.Parse("A0 00 00 01  00 00 00 00  00 00 00 07  AA BB 00 00 00");
        Assert.True(RtpHeader.TryGetHeaderLength(encryptedLooking, out int headerLength, out _));
        Assert.Equal(12, headerLength);
    }

    [Fact]
    public void Header_writer_and_setters_round_trip()
    {
        byte[] buffer = new byte[20];
        Assert.Equal(12, RtpHeaderWriter.WriteFixedHeader(buffer, marker: false, payloadType: 111, sequenceNumber: 65535, timestamp: 960, ssrc: 42));
        RtpHeaderWriter.SetSequenceNumber(buffer, 7);
        RtpHeaderWriter.SetTimestamp(buffer, 1920);
        RtpHeaderWriter.SetSsrc(buffer, 99);
        RtpHeaderWriter.SetMarker(buffer, true);
        RtpHeaderWriter.SetPayloadType(buffer, 100);

        Assert.True(RtpHeader.TryParse(buffer, out RtpHeader header, out _));
        Assert.Equal(7, header.SequenceNumber);
        Assert.Equal(1920u, header.Timestamp);
        Assert.Equal(99u, header.Ssrc);
        Assert.True(header.Marker);
        Assert.Equal(100, header.PayloadType);
        Assert.Equal(8, header.PayloadLength);
        Assert.Equal(0, RtpHeaderWriter.WriteFixedHeader(new byte[11], false, 0, 0, 0, 0));
        Assert.Equal(0, RtpHeaderWriter.WriteFixedHeader(buffer, false, 128, 0, 0, 0));
    }
}
