using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Srtp;

/// <summary>
/// RFC 7714 test vectors for AEAD_AES_128_GCM, which use the session key and salt directly: §16 (SRTP, SSRC
/// 0x5501a0b2, ROC 0, sequence 0xf17b) and §17 (SRTCP, SSRC "Mars", index 0x5d4).
/// </summary>
public sealed class Rfc7714VectorTests
{
    private static readonly byte[] Key = Hex.Parse("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] Salt = Hex.Parse("517569642070726f2071756f");

    private static readonly byte[] RtpPlain = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973
        20646976 69736120 696e2070 61727465 73207472 6573
        """);

    private static readonly byte[] RtpProtected = Hex.Parse("""
        8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca
        be633bd5 0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1
        6a9152cf 765ee439 0cce
        """);

    private static readonly byte[] RtcpPlain = Hex.Parse("""
        81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930
        4c756e61 deadbeef deadbeef deadbeef deadbeef deadbeef
        """);

    private static readonly byte[] RtcpProtected = Hex.Parse("""
        81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7
        6c06f32d c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458
        96cf4d2f c5abf872 45d9eade 800005d4
        """);

    [Fact]
    public void Srtp_encryption_matches_section_16()
    {
        using SrtpContext context = CreateContext();
        byte[] buffer = new byte[RtpPlain.Length + 16];
        RtpPlain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, context.ProtectRtp(buffer, RtpPlain.Length, out int length));
        Assert.Equal(Hex.Format(RtpProtected), Hex.Format(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Srtp_decryption_matches_section_16(bool tagPrecheck)
    {
        using SrtpContext context = CreateContext(tagPrecheck);
        byte[] packet = (byte[])RtpProtected.Clone();
        Assert.Equal(SrtpError.None, context.UnprotectRtp(packet, out int length));
        Assert.Equal(Hex.Format(RtpPlain), Hex.Format(packet.AsSpan(0, length)));
    }

    [Fact]
    public void Srtcp_encryption_matches_section_17()
    {
        using SrtpContext context = CreateContext();
        context.SetNextRtcpIndex(0x4d617273, 0x5d4);
        byte[] buffer = new byte[RtcpPlain.Length + 20];
        RtcpPlain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, context.ProtectRtcp(buffer, RtcpPlain.Length, out int length));
        Assert.Equal(Hex.Format(RtcpProtected), Hex.Format(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Srtcp_decryption_matches_section_17(bool tagPrecheck)
    {
        using SrtpContext context = CreateContext(tagPrecheck);
        byte[] packet = (byte[])RtcpProtected.Clone();
        Assert.Equal(SrtpError.None, context.UnprotectRtcp(packet, out int length));
        Assert.Equal(Hex.Format(RtcpPlain), Hex.Format(packet.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_single_bit_flip_of_the_vectors_is_rejected(bool tagPrecheck)
    {
        for (int bit = 0; bit < RtpProtected.Length * 8; bit++)
        {
            using SrtpContext context = CreateContext(tagPrecheck);
            byte[] packet = (byte[])RtpProtected.Clone();
            packet[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(SrtpError.None, context.UnprotectRtp(packet, out _));
        }

        for (int bit = 0; bit < RtcpProtected.Length * 8; bit++)
        {
            using SrtpContext context = CreateContext(tagPrecheck);
            byte[] packet = (byte[])RtcpProtected.Clone();
            packet[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.NotEqual(SrtpError.None, context.UnprotectRtcp(packet, out _));
        }
    }

    private static SrtpContext CreateContext(bool tagPrecheck = true)
    {
        SrtpSessionKeys keys = SrtpSessionKeys.FromSessionKeys(SrtpProfile.AeadAes128Gcm, Key, Salt, []);
        return tagPrecheck ? SrtpContext.FromSessionKeys(keys) : SrtpContext.FromCipher(keys.Profile, new AesGcmSrtpCipher(keys, useTagPrecheck: false));
    }
}
