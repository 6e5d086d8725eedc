namespace Suite.Meetings.Media.Srtp;

/// <summary>Result of protecting or unprotecting one packet. Anything but <see cref="None"/> means: drop it.</summary>
internal enum SrtpError : byte
{
    None = 0,

    /// <summary>Too short for a header and the SRTP trailer, or not RTP/RTCP version 2.</summary>
    Malformed,

    /// <summary>The authentication tag does not match: forged, corrupted, or keyed for someone else.</summary>
    AuthenticationFailed,

    /// <summary>This index was already accepted (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>Older than the 64-packet replay window, or before the start of the stream.</summary>
    TooOld,

    /// <summary>The buffer has no room for the tag (protect).</summary>
    BufferTooSmall,

    /// <summary>The context already tracks its maximum number of SSRCs.</summary>
    TooManyStreams,

    /// <summary>The packet index space of the key is used up (2^48 SRTP, 2^31 SRTCP): rekey.</summary>
    KeyExhausted,
}
