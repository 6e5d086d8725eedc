namespace Suite.Meetings.Media.Srtp;

/// <summary>The SRTP protection profiles negotiated through DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2).</summary>
internal enum SrtpProfile : ushort
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80 (0x0001): AES-128 counter mode, 80-bit HMAC-SHA1 tag.</summary>
    AesCm128HmacSha1_80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM (0x0007): AES-128-GCM with a 128-bit tag.</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>Key, salt and tag sizes of each profile.</summary>
internal static class SrtpProfiles
{
    public const int MasterKeyLength = 16;
    public const int CmSaltLength = 14;
    public const int GcmSaltLength = 12;
    public const int CmAuthKeyLength = 20;
    public const int CmTagLength = 10;
    public const int GcmTagLength = 16;

    /// <summary>The E flag and the 31-bit SRTCP index that end every SRTCP packet.</summary>
    public const int SrtcpIndexLength = 4;

    public static bool IsDefined(SrtpProfile profile) =>
        profile is SrtpProfile.AesCm128HmacSha1_80 or SrtpProfile.AeadAes128Gcm;

    public static int MasterSaltLength(SrtpProfile profile) =>
        profile == SrtpProfile.AeadAes128Gcm ? GcmSaltLength : CmSaltLength;

    public static int TagLength(SrtpProfile profile) =>
        profile == SrtpProfile.AeadAes128Gcm ? GcmTagLength : CmTagLength;

    /// <summary>Bytes SRTP adds to an RTP packet.</summary>
    public static int RtpOverhead(SrtpProfile profile) => TagLength(profile);

    /// <summary>Bytes SRTCP adds to an RTCP packet.</summary>
    public static int RtcpOverhead(SrtpProfile profile) => TagLength(profile) + SrtcpIndexLength;
}
