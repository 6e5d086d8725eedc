using System.Buffers.Binary;
using System.Net;

namespace Suite.Meetings.Media.Stun;

/// <summary>
/// Serializes a STUN message into a caller-provided buffer, allocation-free. Each <c>Add…</c> appends one attribute
/// and keeps the header length current; MESSAGE-INTEGRITY and FINGERPRINT are computed over what precedes them, so
/// add them last, in that order. Any failure (no room, bad value, wrong order) latches <see cref="Failed"/>.
/// </summary>
internal ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private readonly byte _paddingByte;
    private int _length;
    private bool _hasIntegrity;
    private bool _hasFingerprint;

    /// <param name="paddingByte">
    /// Value of the padding bytes. Receivers ignore it; 0 is customary, RFC 5769's vectors use 0x20.
    /// </param>
    public StunMessageWriter(Span<byte> buffer, ushort messageType, scoped ReadOnlySpan<byte> transactionId, byte paddingByte = 0)
    {
        _buffer = buffer;
        _paddingByte = paddingByte;
        if (buffer.Length < StunConstants.HeaderLength
            || transactionId.Length != StunConstants.TransactionIdLength
            || (messageType & 0xC000) != 0)
        {
            Failed = true;
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(buffer, messageType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunConstants.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunConstants.HeaderLength;
    }

    public bool Failed { get; private set; }

    /// <summary>Bytes written so far (the message length including the header).</summary>
    public readonly int Length => _length;

    private readonly ReadOnlySpan<byte> TransactionId => _buffer.Slice(8, StunConstants.TransactionIdLength);

    public bool AddAttribute(ushort type, scoped ReadOnlySpan<byte> value)
    {
        Span<byte> destination = Reserve(type, value.Length);
        if (destination.IsEmpty && !value.IsEmpty)
        {
            return false;
        }

        value.CopyTo(destination);
        return !Failed;
    }

    public bool AddUsername(scoped ReadOnlySpan<byte> username) =>
        username.Length <= StunConstants.MaxUsernameLength ? AddAttribute(StunAttributeType.Username, username) : Fail();

    public bool AddSoftware(scoped ReadOnlySpan<byte> software) => AddAttribute(StunAttributeType.Software, software);

    public bool AddPriority(uint priority)
    {
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, priority);
        return AddAttribute(StunAttributeType.Priority, value);
    }

    public bool AddUseCandidate() => AddAttribute(StunAttributeType.UseCandidate, default);

    public bool AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public bool AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    public bool AddXorMappedAddress(IPAddress address, ushort port)
    {
        Span<byte> bytes = stackalloc byte[16];
        int length = StunXorAddress.WriteAddressBytes(address, bytes);
        return length == 0 ? Fail() : AddXorMappedAddress(bytes[..length], port);
    }

    public bool AddXorMappedAddress(scoped ReadOnlySpan<byte> address, ushort port)
    {
        if (Failed)
        {
            return false;
        }

        Span<byte> value = stackalloc byte[StunXorAddress.IPv6ValueLength];
        int length = StunXorAddress.Encode(address, port, TransactionId, value);
        return length == 0 ? Fail() : AddAttribute(StunAttributeType.XorMappedAddress, value[..length]);
    }

    public bool AddErrorCode(int code, scoped ReadOnlySpan<byte> reasonPhrase)
    {
        Span<byte> value = stackalloc byte[4 + StunConstants.MaxReasonPhraseLength];
        int length = StunErrorCode.Encode(code, reasonPhrase, value);
        return length == 0 ? Fail() : AddAttribute(StunAttributeType.ErrorCode, value[..length]);
    }

    public bool AddMessageIntegrity(StunIntegrityKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Failed || _hasIntegrity || _hasFingerprint)
        {
            return Fail();
        }

        int attributeStart = _length;
        Span<byte> value = Reserve(StunAttributeType.MessageIntegrity, StunConstants.MessageIntegrityLength);
        if (Failed)
        {
            return false;
        }

        key.Compute(_buffer[..attributeStart], value);
        _hasIntegrity = true;
        return true;
    }

    public bool AddFingerprint()
    {
        if (Failed || _hasFingerprint)
        {
            return Fail();
        }

        int attributeStart = _length;
        Span<byte> value = Reserve(StunAttributeType.Fingerprint, StunConstants.FingerprintLength);
        if (Failed)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(value, StunFingerprint.Compute(_buffer[..attributeStart]));
        _hasFingerprint = true;
        return true;
    }

    /// <summary>The message length, or false when anything failed.</summary>
    public readonly bool TryComplete(out int length)
    {
        length = Failed ? 0 : _length;
        return !Failed;
    }

    private bool AddUInt64(ushort type, ulong value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return AddAttribute(type, bytes);
    }

    /// <summary>Writes an attribute header, the padding and the new message length; returns the value slot.</summary>
    private Span<byte> Reserve(ushort type, int valueLength)
    {
        bool onlyFingerprintMayFollow = _hasIntegrity && type != StunAttributeType.Fingerprint;
        int padded = StunPadding.Align4(valueLength);
        int end = _length + StunConstants.AttributeHeaderLength + padded;
        if (Failed || _hasFingerprint || onlyFingerprintMayFollow || valueLength > ushort.MaxValue
            || end > _buffer.Length || end - StunConstants.HeaderLength > ushort.MaxValue)
        {
            Fail();
            return default;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
        int valueOffset = _length + StunConstants.AttributeHeaderLength;
        _buffer.Slice(valueOffset + valueLength, padded - valueLength).Fill(_paddingByte);
        _length = end;
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(_length - StunConstants.HeaderLength));
        return _buffer.Slice(valueOffset, valueLength);
    }

    private bool Fail()
    {
        Failed = true;
        return false;
    }
}
