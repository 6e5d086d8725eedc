namespace Suite.Meetings.Media.Stun;

/// <summary>Why a datagram was not accepted as a STUN message. Used to count drops by reason.</summary>
internal enum StunParseError : byte
{
    None = 0,

    /// <summary>Shorter than the 20-byte header.</summary>
    Truncated,

    /// <summary>The two most significant bits of the first byte are not zero.</summary>
    NotStun,

    /// <summary>No 0x2112A442 magic cookie (RFC 3489 classic STUN is not accepted).</summary>
    BadMagicCookie,

    /// <summary>The header length is not a multiple of 4 or disagrees with the datagram length.</summary>
    LengthMismatch,

    /// <summary>An attribute header or value (with its padding) runs past the end of the message.</summary>
    AttributeOverrun,

    /// <summary>A known attribute has a length its definition does not allow.</summary>
    BadAttributeLength,

    /// <summary>An attribute follows FINGERPRINT, which must be last.</summary>
    AttributeAfterFingerprint,
}
