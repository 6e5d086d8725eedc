using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Srtp;

/// <summary>The AES-instruction keystream against the AES-ECB transform it replaces, and against RFC 3711 B.2.</summary>
public sealed class AesCounterModeTests
{
    private static readonly byte[] B2SessionKey = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] B2Iv = Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Either_implementation_gives_the_rfc_3711_b2_keystream(bool useAesInstructions)
    {
        using var aes = new AesCounterMode(B2SessionKey, useAesInstructions);
        byte[] keystream = new byte[0xFF02 * AesCounterMode.BlockSize];
        aes.Apply(B2Iv, keystream);

        Assert.Equal("E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0", Hex.Format(keystream.AsSpan(0, 48)));
        Assert.Equal("EC8CDF7398607CB0F2D21675EA9EA1E4", Hex.Format(keystream.AsSpan(0xFEFF * 16, 16)));
        Assert.Equal("362B7C3C6773516318A077D7FC5073AE", Hex.Format(keystream.AsSpan(0xFF00 * 16, 16)));
        Assert.Equal("6A2CC3787889374FBEB4C81B17BA6C44", Hex.Format(keystream.AsSpan(0xFF01 * 16, 16)));
    }

    [Fact]
    public void The_aes_instructions_are_used_where_the_cpu_has_them_for_128_bit_keys_only()
    {
        using var aes128 = new AesCounterMode(new byte[16]);
        using var aes256 = new AesCounterMode(new byte[32]);
        using var forced = new AesCounterMode(new byte[16], useAesInstructions: false);

        Assert.Equal(System.Runtime.Intrinsics.X86.Aes.IsSupported, aes128.UsesAesInstructions);
        Assert.False(aes256.UsesAesInstructions);
        Assert.False(forced.UsesAesInstructions);
    }

    [Fact]
    public void Both_implementations_agree_on_random_keys_counters_lengths_and_offsets()
    {
        var random = new Random(3711);
        for (int round = 0; round < 300; round++)
        {
            byte[] key = new byte[16];
            random.NextBytes(key);
            byte[] iv = new byte[16];
            random.NextBytes(iv);
            if (round % 3 == 0)
            {
                // Counters about to carry out of the low 64 bits, or to wrap around 2^128.
                iv.AsSpan(8).Fill(0xFF);
                iv[15] = (byte)(0xFF - random.Next(8));
                if (round % 2 == 0)
                {
                    iv.AsSpan(0, 8).Fill(0xFF);
                }
            }

            int length = random.Next(0, 1500);
            int offset = random.Next(0, 17);
            byte[] data = new byte[offset + length + 7];
            random.NextBytes(data);
            byte[] expected = (byte[])data.Clone();
            byte[] actual = (byte[])data.Clone();

            using var reference = new AesCounterMode(key, useAesInstructions: false);
            using var fast = new AesCounterMode(key);
            reference.Apply(iv, expected.AsSpan(offset, length));
            fast.Apply(iv, actual.AsSpan(offset, length));

            Assert.Equal(expected, actual); // bytes around the slice untouched by both
            byte[] blockExpected = new byte[16];
            byte[] blockActual = new byte[16];
            reference.EncryptBlock(iv, blockExpected);
            fast.EncryptBlock(iv, blockActual);
            Assert.Equal(blockExpected, blockActual);
        }
    }
}
