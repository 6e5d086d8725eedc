using System.Globalization;

namespace Suite.Meetings.Media.Sdp;

/// <summary>
/// The H.264 profile-level-id fmtp parameter (RFC 6184 §8.1): profile_idc, profile-iop (constraint flags) and
/// level_idc, as 6 hex digits. Two H.264 payload types are the same codec for an SFU when the profile (not the
/// level) and the packetization-mode agree.
/// </summary>
internal readonly record struct H264ProfileLevelId(byte ProfileIdc, byte ProfileIop, byte LevelIdc)
{
    /// <summary>RFC 6184's default when the parameter is absent: Baseline, level 1.0.</summary>
    public static readonly H264ProfileLevelId Default = new(0x42, 0x00, 0x0A);

    public H264Profile Profile => (ProfileIdc, ProfileIop) switch
    {
        (0x42, var iop) when (iop & 0x40) != 0 => H264Profile.ConstrainedBaseline,
        (0x4D, var iop) when (iop & 0x80) != 0 => H264Profile.ConstrainedBaseline,
        (0x58, var iop) when (iop & 0xC0) == 0xC0 => H264Profile.ConstrainedBaseline,
        (0x42, _) => H264Profile.Baseline,
        (0x58, _) => H264Profile.Baseline,
        (0x4D, _) => H264Profile.Main,
        (0x64, 0x0C) => H264Profile.ConstrainedHigh,
        (0x64, _) => H264Profile.High,
        _ => H264Profile.Other,
    };

    public static bool TryParse(string? text, out H264ProfileLevelId value)
    {
        value = Default;
        if (text is null)
        {
            return true;
        }

        if (text.Length != 6 || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint bits))
        {
            return false;
        }

        value = new H264ProfileLevelId((byte)(bits >> 16), (byte)(bits >> 8), (byte)bits);
        return true;
    }

    public override string ToString() => $"{ProfileIdc:x2}{ProfileIop:x2}{LevelIdc:x2}";
}

internal enum H264Profile : byte
{
    Other = 0,
    ConstrainedBaseline,
    Baseline,
    Main,
    ConstrainedHigh,
    High,
}
