using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Tests.Support;

namespace Suite.Meetings.Media.Tests.Srtp;

/// <summary>RFC 3711 appendix B.2 (AES-CM keystream) and B.3 (key derivation).</summary>
public sealed class Rfc3711VectorTests
{
    private static readonly byte[] B2SessionKey = Hex.Parse("2B7E151628AED2A6ABF7158809CF4F3C");
    private static readonly byte[] B2SessionSalt = Hex.Parse("F0F1F2F3F4F5F6F7F8F9FAFBFCFD");

    private static readonly byte[] B3MasterKey = Hex.Parse("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] B3MasterSalt = Hex.Parse("0EC675AD498AFEEBB6960B3AABE6");

    [Theory]
    [InlineData(0x0000, "E03EAD0935C95E80E166B16DD92B4EB4")]
    [InlineData(0x0001, "D23513162B02D0F72A43A2FE4A5F97AB")]
    [InlineData(0x0002, "41E95B3BB0A2E8DD477901E4FCA894C0")]
    [InlineData(0xFEFF, "EC8CDF7398607CB0F2D21675EA9EA1E4")]
    [InlineData(0xFF00, "362B7C3C6773516318A077D7FC5073AE")]
    [InlineData(0xFF01, "6A2CC3787889374FBEB4C81B17BA6C44")]
    public void B2_keystream_blocks_match(int block, string expected)
    {
        byte[] keystream = new byte[0xFF02 * AesCounterMode.BlockSize];
        byte[] iv = [.. B2SessionSalt, 0, 0];
        using var aes = new AesCounterMode(B2SessionKey);
        aes.Apply(iv, keystream);
        Assert.Equal(expected, Hex.Format(keystream.AsSpan(block * 16, 16)));
    }

    [Fact]
    public void B2_keystream_is_what_srtp_xors_into_a_packet_with_ssrc_0_and_index_0()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.FromSessionKeys(SrtpProfile.AesCm128HmacSha1_80, B2SessionKey, B2SessionSalt, new byte[20]);
        using SrtpContext context = SrtpContext.FromSessionKeys(keys);
        byte[] packet = new byte[12 + 48 + 10];
        packet[0] = 0x80; // V=2, PT 0, seq 0, ts 0, SSRC 0
        Assert.Equal(SrtpError.None, context.ProtectRtp(packet, 60, out int length));
        Assert.Equal(70, length);
        Assert.Equal(
            "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0",
            Hex.Format(packet.AsSpan(12, 48)));
    }

    [Fact]
    public void B3_session_keys_are_derived()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, B3MasterKey, B3MasterSalt);
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Hex.Format(keys.RtpKey));
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Hex.Format(keys.RtpSalt));
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Hex.Format(keys.RtpAuthKey));
    }

    [Fact]
    public void B3_full_94_byte_authentication_key_is_derived()
    {
        byte[] authKey = new byte[94];
        using var prf = new AesCounterMode(B3MasterKey);
        SrtpKeyDerivation.Derive(prf, B3MasterSalt, SrtpKeyDerivation.RtpAuthentication, authKey);
        Assert.Equal(
            "CEBE321F6FF7716B6FD4AB49AF256A15" + "6D38BAA48F0A0ACF3C34E2359E6CDBCE" + "E049646C43D9327AD175578EF7227098"
            + "6371C10C9A369AC2F94A8C5FBCDDDC25" + "6D6E919A48B610EF17C2041E47403576" + "6B68642C59BBFC2F34DB60DBDFB2",
            Hex.Format(authKey));
    }

    [Fact]
    public void Rtcp_labels_give_keys_distinct_from_rtp_ones()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, B3MasterKey, B3MasterSalt);
        Assert.NotEqual(keys.RtpKey, keys.RtcpKey);
        Assert.NotEqual(keys.RtpSalt, keys.RtcpSalt);
        Assert.NotEqual(keys.RtpAuthKey, keys.RtcpAuthKey);
    }

    [Fact]
    public void Aead_master_salt_is_zero_extended_on_the_right()
    {
        // Cross-check value (not an RFC vector): the libsrtp-compatible RTP session salt for this master key/salt, as
        // published in the test suite of an independent implementation checked against webrtc-rs.
        byte[] key = Hex.Parse("000102030405060708090A0B0C0D0E0F");
        byte[] salt = Hex.Parse("404142434445464748494A4B");
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, key, salt);
        Assert.Equal("1FCD5D561E66DC49EC1C3CCB", Hex.Format(keys.RtpSalt));
        Assert.Empty(keys.RtpAuthKey);
        Assert.Equal(12, keys.RtcpSalt.Length);
    }

    [Fact]
    public void Wrong_master_lengths_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, B3MasterKey, new byte[12]));
        Assert.Throws<ArgumentException>(() => SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, B3MasterKey, B3MasterSalt));
        Assert.Throws<ArgumentException>(() => SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, new byte[15], B3MasterSalt));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpSessionKeys.Derive((SrtpProfile)2, B3MasterKey, B3MasterSalt));
    }
}
