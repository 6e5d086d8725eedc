using System.Buffers.Binary;
using System.Security.Cryptography;
using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Tests.Srtp;

/// <summary>
/// The carry-less GHASH used to reject forged GCM packets before AesGcm (which throws on failure). Checked against
/// the bit-serial multiplication of NIST SP 800-38D §6.3 and against tags produced by the BCL's AesGcm.
/// </summary>
public sealed class GhashTests
{
    [Fact]
    public void Single_block_hash_equals_the_bit_serial_field_multiplication()
    {
        if (!Ghash.IsSupported)
        {
            Assert.False(System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported);
            return;
        }

        var random = new Random(38);
        for (int round = 0; round < 2000; round++)
        {
            byte[] h = RandomBytes(random, 16);
            byte[] x = RandomBytes(random, 16);

            // GHASH of one 16-byte block X with no AAD: ((X · H) ⊕ L) · H where L = [0]64 ‖ [128]64.
            byte[] expected = ReferenceMultiply(x, h);
            expected[15] ^= 0x80;
            expected = ReferenceMultiply(expected, h);

            byte[] actual = new byte[16];
            new Ghash(h).Compute([], x, actual);
            Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
        }
    }

    [Fact]
    public void Reconstructed_tags_equal_the_tags_of_AesGcm_for_random_messages()
    {
        if (!Ghash.IsSupported)
        {
            Assert.False(System.Runtime.Intrinsics.X86.Pclmulqdq.IsSupported);
            return;
        }

        var random = new Random(7714);
        for (int round = 0; round < 500; round++)
        {
            byte[] key = RandomBytes(random, 16);
            byte[] nonce = RandomBytes(random, 12);
            byte[] aad = RandomBytes(random, random.Next(0, 60));
            byte[] plain = RandomBytes(random, random.Next(0, 300));
            byte[] cipher = new byte[plain.Length];
            byte[] tag = new byte[16];
            using (var gcm = new AesGcm(key, 16))
            {
                gcm.Encrypt(nonce, plain, cipher, tag, aad);
            }

            using var block = new AesCounterMode(key);
            byte[] hashKey = new byte[16];
            block.EncryptBlock(new byte[16], hashKey);
            byte[] j0 = [.. nonce, 0, 0, 0, 1];
            byte[] mask = new byte[16];
            block.EncryptBlock(j0, mask);
            byte[] hash = new byte[16];
            new Ghash(hashKey).Compute(aad, cipher, hash);
            for (int i = 0; i < 16; i++)
            {
                hash[i] ^= mask[i];
            }

            Assert.Equal(Convert.ToHexString(tag), Convert.ToHexString(hash));
        }
    }

    /// <summary>NIST SP 800-38D Algorithm 1: multiplication in GF(2^128), one bit at a time.</summary>
    private static byte[] ReferenceMultiply(byte[] x, byte[] y)
    {
        UInt128 xv = BinaryPrimitives.ReadUInt128BigEndian(x);
        UInt128 v = BinaryPrimitives.ReadUInt128BigEndian(y);
        UInt128 z = 0;
        UInt128 r = (UInt128)0xE1 << 120;
        for (int i = 0; i < 128; i++)
        {
            if (((xv >> (127 - i)) & 1) != 0)
            {
                z ^= v;
            }

            v = (v & 1) == 0 ? v >> 1 : (v >> 1) ^ r;
        }

        byte[] result = new byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(result, z);
        return result;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
