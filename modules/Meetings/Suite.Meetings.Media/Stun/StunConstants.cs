namespace Suite.Meetings.Media.Stun;

/// <summary>Wire constants of STUN (RFC 8489 §5, §14, §18) and its ICE attributes (RFC 8445 §16.1).</summary>
internal static class StunConstants
{
    public const int HeaderLength = 20;
    public const int AttributeHeaderLength = 4;
    public const int TransactionIdLength = 12;
    public const uint MagicCookie = 0x2112A442;

    /// <summary>XOR'd into the CRC-32 of the message to form FINGERPRINT (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    public const int MessageIntegrityLength = 20;
    public const int FingerprintLength = 4;

    /// <summary>RFC 8489 §14.3: USERNAME is shorter than 513 bytes.</summary>
    public const int MaxUsernameLength = 513;

    /// <summary>RFC 8489 §14.8: the reason phrase is at most 763 bytes.</summary>
    public const int MaxReasonPhraseLength = 763;

    public const ushort BindingMethod = 0x001;
}

/// <summary>STUN attribute types used by an ICE-lite server.</summary>
internal static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort Realm = 0x0014;
    public const ushort Nonce = 0x0015;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    /// <summary>Types 0x0000–0x7FFF are comprehension-required (RFC 8489 §14).</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}

/// <summary>The class of a STUN message (RFC 8489 §5).</summary>
internal enum StunClass : byte
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}
