using System.Text;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Tests.Stun;

public sealed class Crc32Tests
{
    [Fact]
    public void Check_value_of_the_standard_CRC32_is_reproduced() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Empty_input_has_crc_zero() => Assert.Equal(0u, Crc32.Compute([]));

    [Fact]
    public void Known_sentence_matches_its_published_crc() =>
        Assert.Equal(0x414FA339u, Crc32.Compute(Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog")));

    [Fact]
    public void Append_continues_a_crc_across_chunks()
    {
        byte[] data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        for (int split = 0; split <= data.Length; split++)
        {
            uint chunked = Crc32.Append(Crc32.Compute(data.AsSpan(0, split)), data.AsSpan(split));
            Assert.Equal(Crc32.Compute(data), chunked);
        }
    }

    [Fact]
    public void Table_driven_crc_agrees_with_a_bitwise_reference_on_random_data()
    {
        var random = new Random(5389);
        for (int round = 0; round < 200; round++)
        {
            byte[] data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            Assert.Equal(BitwiseCrc32(data), Crc32.Compute(data));
        }
    }

    /// <summary>The CRC computed one bit at a time from the polynomial: an independent implementation.</summary>
    private static uint BitwiseCrc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
