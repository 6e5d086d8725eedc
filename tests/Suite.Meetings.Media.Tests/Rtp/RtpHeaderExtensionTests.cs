using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Rtp;

public sealed class RtpHeaderExtensionTests
{
    [Fact]
    public void One_byte_elements_are_read_skipping_padding()
    {
        // RFC 8285 §4.2 style: id 1 len 1, padding, id 2 len 3, padding to 32 bits.
        byte[] data = Hex.Parse("10 AA 00 22 01 02 03 00");
        var found = Collect(new RtpHeaderExtensionReader(0xBEDE, data), out bool malformed);
        Assert.False(malformed);
        Assert.Equal([(1, "AA"), (2, "010203")], found);
    }

    [Fact]
    public void One_byte_id_15_stops_processing()
    {
        byte[] data = Hex.Parse("10 AA F0 20 BB 00 00 00");
        var found = Collect(new RtpHeaderExtensionReader(0xBEDE, data), out bool malformed);
        Assert.False(malformed);
        Assert.Equal([(1, "AA")], found);
    }

    [Fact]
    public void Two_byte_elements_allow_empty_values_and_large_ids()
    {
        byte[] data = Hex.Parse("01 00 00 FF 02 AB CD 00");
        var found = Collect(new RtpHeaderExtensionReader(0x1000, data), out bool malformed);
        Assert.False(malformed);
        Assert.Equal([(1, ""), (255, "ABCD")], found);

        // The low 4 bits of the 0x100X profile are application bits: still the two-byte form.
        Assert.True(new RtpHeaderExtensionReader(0x100F, data).IsSupported);
    }

    [Theory]
    [InlineData(0xBEDE, "1F AA 00 00")] // one-byte element claims 16 bytes
    [InlineData(0x1000, "05 08 01 02")] // two-byte element claims 8 bytes
    [InlineData(0x1000, "00 00 00 05")] // two-byte element header cut off
    public void Elements_running_past_the_block_are_malformed(int profile, string hex)
    {
        Collect(new RtpHeaderExtensionReader((ushort)profile, Hex.Parse(hex)), out bool malformed);
        Assert.True(malformed);
    }

    [Fact]
    public void Non_rfc8285_profiles_yield_nothing()
    {
        var reader = new RtpHeaderExtensionReader(0xABCD, Hex.Parse("10 AA 00 00"));
        Assert.False(reader.IsSupported);
        Assert.Empty(Collect(reader, out _));
    }

    [Fact]
    public void TryFind_locates_an_element_by_id()
    {
        var reader = new RtpHeaderExtensionReader(0xBEDE, Hex.Parse("10 AA 22 01 02 03"));
        Assert.True(reader.TryFind(2, out ReadOnlySpan<byte> value));
        Assert.Equal("010203", Convert.ToHexString(value));
        Assert.False(reader.TryFind(3, out _));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writer_output_reads_back_inside_a_parsed_rtp_packet(bool twoByte)
    {
        byte[] packet = new byte[64];
        RtpHeaderWriter.WriteFixedHeader(packet, false, 96, 1, 2, 3, hasExtension: true);
        var writer = new RtpHeaderExtensionWriter(packet.AsSpan(12), twoByte);
        Assert.True(writer.Add(3, [0x01, 0x02, 0x03])); // abs-send-time sized
        Assert.True(writer.Add(5, [0x00, 0x2A])); // transport-wide sequence number sized
        Assert.True(writer.TryComplete(out int blockLength));
        Assert.Equal(0, blockLength % 4);
        int length = 12 + blockLength + 4;

        Assert.True(RtpHeader.TryParse(packet.AsSpan(0, length), out RtpHeader header, out _));
        Assert.Equal(12 + blockLength, header.HeaderLength);
        Assert.Equal(4, header.PayloadLength);
        var found = Collect(header.GetExtensions(packet.AsSpan(0, length)), out bool malformed);
        Assert.False(malformed);
        Assert.Equal([(3, "010203"), (5, "002A")], found);
    }

    [Fact]
    public void Writer_refuses_what_the_chosen_form_cannot_carry()
    {
        Assert.True(RtpHeaderExtensionWriter.NeedsTwoByteForm(15, 1));
        Assert.True(RtpHeaderExtensionWriter.NeedsTwoByteForm(1, 17));
        Assert.True(RtpHeaderExtensionWriter.NeedsTwoByteForm(1, 0));
        Assert.False(RtpHeaderExtensionWriter.NeedsTwoByteForm(14, 16));

        var oneByte = new RtpHeaderExtensionWriter(new byte[64], twoByteForm: false);
        Assert.False(oneByte.Add(15, [1]));
        Assert.False(oneByte.TryComplete(out _));

        var twoByte = new RtpHeaderExtensionWriter(new byte[64], twoByteForm: true);
        Assert.False(twoByte.Add(0, [1]));

        var small = new RtpHeaderExtensionWriter(new byte[6], twoByteForm: false);
        Assert.False(small.Add(1, [1, 2]));
    }

    private static List<(int Id, string Value)> Collect(RtpHeaderExtensionReader reader, out bool malformed)
    {
        var found = new List<(int, string)>();
        while (reader.MoveNext())
        {
            found.Add((reader.Current.Id, Convert.ToHexString(reader.Current.Value)));
        }

        malformed = reader.IsMalformed;
        return found;
    }
}
