using System.Buffers.Binary;

namespace Suite.Meetings.Media.Stun;

/// <summary>
/// A validated, zero-copy view of one STUN message (RFC 8489). <see cref="TryParse"/> checks the header and the
/// attribute layout once and remembers where the attributes an ICE-lite server needs are; the accessors then read
/// them without scanning again. Only the first occurrence of an attribute counts (RFC 8489 §14), and attributes
/// after MESSAGE-INTEGRITY other than FINGERPRINT are ignored (RFC 8489 §14.5).
/// </summary>
internal readonly ref struct StunMessage
{
    private const int Absent = -1;

    private readonly int _usernameOffset;
    private readonly int _usernameLength;
    private readonly int _integrityOffset;
    private readonly int _fingerprintOffset;
    private readonly int _priorityOffset;
    private readonly int _controllingOffset;
    private readonly int _controlledOffset;
    private readonly int _xorMappedOffset;
    private readonly int _xorMappedLength;
    private readonly int _errorCodeOffset;
    private readonly int _errorCodeLength;

    private StunMessage(ReadOnlySpan<byte> raw, scoped in AttributeLocations found)
    {
        Raw = raw;
        MessageType = BinaryPrimitives.ReadUInt16BigEndian(raw);
        _usernameOffset = found.UsernameOffset;
        _usernameLength = found.UsernameLength;
        _integrityOffset = found.IntegrityOffset;
        _fingerprintOffset = found.FingerprintOffset;
        _priorityOffset = found.PriorityOffset;
        _controllingOffset = found.ControllingOffset;
        _controlledOffset = found.ControlledOffset;
        _xorMappedOffset = found.XorMappedOffset;
        _xorMappedLength = found.XorMappedLength;
        _errorCodeOffset = found.ErrorCodeOffset;
        _errorCodeLength = found.ErrorCodeLength;
        UseCandidate = found.UseCandidate;
    }

    /// <summary>The whole message, header included.</summary>
    public ReadOnlySpan<byte> Raw { get; }

    public ushort MessageType { get; }

    public StunClass Class => StunMessageType.GetClass(MessageType);

    public ushort Method => StunMessageType.GetMethod(MessageType);

    public ReadOnlySpan<byte> TransactionId => Raw.Slice(8, StunConstants.TransactionIdLength);

    public bool IsBindingRequest => MessageType == StunMessageType.BindingRequest;

    public bool HasUsername => _usernameOffset != Absent;

    public ReadOnlySpan<byte> Username =>
        _usernameOffset == Absent ? default : Raw.Slice(_usernameOffset, _usernameLength);

    public bool HasMessageIntegrity => _integrityOffset != Absent;

    public bool HasFingerprint => _fingerprintOffset != Absent;

    /// <summary>USE-CANDIDATE was present (the controlling agent nominates this pair).</summary>
    public bool UseCandidate { get; }

    public StunAttributeEnumerator Attributes => new(Raw);

    /// <summary>Validates <paramref name="datagram"/> as one complete STUN message; never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage message, out StunParseError error)
    {
        message = default;
        error = ValidateHeader(datagram);
        if (error != StunParseError.None)
        {
            return false;
        }

        error = StunAttributeScanner.Scan(datagram, out AttributeLocations found);
        if (error != StunParseError.None)
        {
            return false;
        }

        message = new StunMessage(datagram, found);
        return true;
    }

    public bool TryGetPriority(out uint priority) => TryReadUInt32(_priorityOffset, out priority);

    public bool TryGetIceControlling(out ulong tieBreaker) => TryReadUInt64(_controllingOffset, out tieBreaker);

    public bool TryGetIceControlled(out ulong tieBreaker) => TryReadUInt64(_controlledOffset, out tieBreaker);

    /// <summary>Reads XOR-MAPPED-ADDRESS into <paramref name="address"/> (4 or 16 bytes written).</summary>
    public bool TryGetXorMappedAddress(Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        return _xorMappedOffset != Absent
            && StunXorAddress.TryDecode(
                Raw.Slice(_xorMappedOffset, _xorMappedLength), TransactionId, address, out addressLength, out port);
    }

    /// <summary>Reads ERROR-CODE: the code (300–699) and its UTF-8 reason phrase.</summary>
    public bool TryGetErrorCode(out int code, out ReadOnlySpan<byte> reasonPhrase)
    {
        code = 0;
        reasonPhrase = default;
        return _errorCodeOffset != Absent
            && StunErrorCode.TryDecode(Raw.Slice(_errorCodeOffset, _errorCodeLength), out code, out reasonPhrase);
    }

    /// <summary>Checks FINGERPRINT (RFC 8489 §14.7). False when absent.</summary>
    public bool VerifyFingerprint()
    {
        if (_fingerprintOffset == Absent)
        {
            return false;
        }

        int attributeStart = _fingerprintOffset - StunConstants.AttributeHeaderLength;
        uint expected = StunFingerprint.Compute(Raw[..attributeStart]);
        return BinaryPrimitives.ReadUInt32BigEndian(Raw[_fingerprintOffset..]) == expected;
    }

    /// <summary>Checks MESSAGE-INTEGRITY (HMAC-SHA1) with a short-term credential. False when absent.</summary>
    public bool VerifyMessageIntegrity(StunIntegrityKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_integrityOffset == Absent)
        {
            return false;
        }

        int attributeStart = _integrityOffset - StunConstants.AttributeHeaderLength;
        return key.Verify(Raw[..attributeStart], Raw.Slice(_integrityOffset, StunConstants.MessageIntegrityLength));
    }

    private static StunParseError ValidateHeader(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < StunConstants.HeaderLength)
        {
            return StunParseError.Truncated;
        }

        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != StunConstants.MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((bodyLength & 3) != 0 || StunConstants.HeaderLength + bodyLength != datagram.Length)
        {
            return StunParseError.LengthMismatch;
        }

        return StunParseError.None;
    }

    private bool TryReadUInt32(int offset, out uint value)
    {
        value = offset == Absent ? 0 : BinaryPrimitives.ReadUInt32BigEndian(Raw[offset..]);
        return offset != Absent;
    }

    private bool TryReadUInt64(int offset, out ulong value)
    {
        value = offset == Absent ? 0 : BinaryPrimitives.ReadUInt64BigEndian(Raw[offset..]);
        return offset != Absent;
    }
}
