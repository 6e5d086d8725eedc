namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of 0, as DTLS-SRTP uses it:
/// x = (label · 2^48) XOR master_salt, output = AES-CM(master_key, x · 2^16). A 12-byte AEAD master salt
/// (RFC 7714 §11) is extended with two zero bytes on the right, as libsrtp does.
/// </summary>
internal static class SrtpKeyDerivation
{
    public const byte RtpEncryption = 0x00;
    public const byte RtpAuthentication = 0x01;
    public const byte RtpSalt = 0x02;
    public const byte RtcpEncryption = 0x03;
    public const byte RtcpAuthentication = 0x04;
    public const byte RtcpSalt = 0x05;

    public static void Derive(AesCounterMode masterCipher, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        ArgumentNullException.ThrowIfNull(masterCipher);
        if (masterSalt.Length is not (SrtpProfiles.CmSaltLength or SrtpProfiles.GcmSaltLength))
        {
            throw new ArgumentException("The master salt is 14 (AES-CM) or 12 (AES-GCM) bytes.", nameof(masterSalt));
        }

        Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
        iv.Clear();
        masterSalt.CopyTo(iv);
        iv[7] ^= label;
        output.Clear();
        masterCipher.Apply(iv, output);
    }
}

/// <summary>Session keys of one direction for RTP and RTCP, derived from a master key and salt.</summary>
internal sealed class SrtpSessionKeys
{
    private SrtpSessionKeys(SrtpProfile profile)
    {
        Profile = profile;
        int saltLength = SrtpProfiles.MasterSaltLength(profile);
        int authLength = profile == SrtpProfile.AeadAes128Gcm ? 0 : SrtpProfiles.CmAuthKeyLength;
        RtpKey = new byte[SrtpProfiles.MasterKeyLength];
        RtpAuthKey = new byte[authLength];
        RtpSalt = new byte[saltLength];
        RtcpKey = new byte[SrtpProfiles.MasterKeyLength];
        RtcpAuthKey = new byte[authLength];
        RtcpSalt = new byte[saltLength];
    }

    public SrtpProfile Profile { get; }

    public byte[] RtpKey { get; }

    public byte[] RtpAuthKey { get; }

    public byte[] RtpSalt { get; }

    public byte[] RtcpKey { get; }

    public byte[] RtcpAuthKey { get; }

    public byte[] RtcpSalt { get; }

    public static SrtpSessionKeys Derive(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (!SrtpProfiles.IsDefined(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile));
        }

        if (masterKey.Length != SrtpProfiles.MasterKeyLength || masterSalt.Length != SrtpProfiles.MasterSaltLength(profile))
        {
            throw new ArgumentException($"{profile} needs a 16-byte master key and a {SrtpProfiles.MasterSaltLength(profile)}-byte master salt.");
        }

        var keys = new SrtpSessionKeys(profile);
        using var prf = new AesCounterMode(masterKey);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpEncryption, keys.RtpKey);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpAuthentication, keys.RtpAuthKey);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtpSalt, keys.RtpSalt);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpEncryption, keys.RtcpKey);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpAuthentication, keys.RtcpAuthKey);
        SrtpKeyDerivation.Derive(prf, masterSalt, SrtpKeyDerivation.RtcpSalt, keys.RtcpSalt);
        return keys;
    }

    /// <summary>Session keys given directly (RFC 7714 §16 test vectors bypass the KDF); RTP and RTCP share them.</summary>
    internal static SrtpSessionKeys FromSessionKeys(SrtpProfile profile, ReadOnlySpan<byte> key, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> authKey)
    {
        var keys = new SrtpSessionKeys(profile);
        if (key.Length != keys.RtpKey.Length || salt.Length != keys.RtpSalt.Length || authKey.Length != keys.RtpAuthKey.Length)
        {
            throw new ArgumentException("Session key lengths do not match the profile.");
        }

        key.CopyTo(keys.RtpKey);
        key.CopyTo(keys.RtcpKey);
        salt.CopyTo(keys.RtpSalt);
        salt.CopyTo(keys.RtcpSalt);
        authKey.CopyTo(keys.RtpAuthKey);
        authKey.CopyTo(keys.RtcpAuthKey);
        return keys;
    }
}
