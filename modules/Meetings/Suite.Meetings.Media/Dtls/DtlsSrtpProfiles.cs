using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Dtls;

/// <summary>Maps our <see cref="SrtpProfile"/> to the use_srtp protection profile numbers BouncyCastle speaks.</summary>
internal static class DtlsSrtpProfiles
{
    /// <summary>Preferred first: GCM is cheaper per packet and authenticates more; libwebrtc M106 offers only AES-CM.</summary>
    public static readonly IReadOnlyList<SrtpProfile> DefaultPreference = [SrtpProfile.AeadAes128Gcm, SrtpProfile.AesCm128HmacSha1_80];

    public static int ToUseSrtpId(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AesCm128HmacSha1_80 => SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
        SrtpProfile.AeadAes128Gcm => SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Not a supported SRTP profile."),
    };

    /// <summary>The first profile of <paramref name="preference"/> that the peer offered, if any.</summary>
    public static bool TrySelect(IReadOnlyList<SrtpProfile> preference, int[]? offered, out SrtpProfile selected)
    {
        selected = default;
        if (offered is null)
        {
            return false;
        }

        foreach (SrtpProfile candidate in preference)
        {
            if (Array.IndexOf(offered, ToUseSrtpId(candidate)) >= 0)
            {
                selected = candidate;
                return true;
            }
        }

        return false;
    }
}
