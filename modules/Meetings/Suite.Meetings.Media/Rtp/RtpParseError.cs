namespace Suite.Meetings.Media.Rtp;

/// <summary>Why a datagram was not accepted as an RTP packet. Used to count drops by reason.</summary>
internal enum RtpParseError : byte
{
    None = 0,

    /// <summary>Shorter than the fixed header, the CSRC list or the header extension it announces.</summary>
    Truncated,

    /// <summary>Version field is not 2.</summary>
    BadVersion,

    /// <summary>The padding flag is set but the padding count is 0 or longer than the payload.</summary>
    BadPadding,
}
