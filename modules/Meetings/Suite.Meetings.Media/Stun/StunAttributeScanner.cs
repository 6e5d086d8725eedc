using System.Buffers.Binary;

namespace Suite.Meetings.Media.Stun;

/// <summary>Value offsets (from the start of the message) of the attributes an ICE-lite server reads; -1 when absent.</summary>
internal struct AttributeLocations
{
    public int UsernameOffset;
    public int UsernameLength;
    public int IntegrityOffset;
    public int FingerprintOffset;
    public int PriorityOffset;
    public int ControllingOffset;
    public int ControlledOffset;
    public int XorMappedOffset;
    public int XorMappedLength;
    public int ErrorCodeOffset;
    public int ErrorCodeLength;
    public bool UseCandidate;

    public static AttributeLocations None => new()
    {
        UsernameOffset = -1,
        IntegrityOffset = -1,
        FingerprintOffset = -1,
        PriorityOffset = -1,
        ControllingOffset = -1,
        ControlledOffset = -1,
        XorMappedOffset = -1,
        ErrorCodeOffset = -1,
    };
}

/// <summary>One pass over the attributes of a message whose header is valid: bounds, lengths, ordering.</summary>
internal static class StunAttributeScanner
{
    public static StunParseError Scan(ReadOnlySpan<byte> message, out AttributeLocations found)
    {
        found = AttributeLocations.None;
        int position = StunConstants.HeaderLength;
        bool afterIntegrity = false;

        while (position < message.Length)
        {
            if (found.FingerprintOffset >= 0)
            {
                return StunParseError.AttributeAfterFingerprint;
            }

            if (position + StunConstants.AttributeHeaderLength > message.Length)
            {
                return StunParseError.AttributeOverrun;
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[position..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(position + 2)..]);
            int valueOffset = position + StunConstants.AttributeHeaderLength;
            if (valueOffset + StunPadding.Align4(length) > message.Length)
            {
                return StunParseError.AttributeOverrun;
            }

            if (type == StunAttributeType.Fingerprint)
            {
                if (length != StunConstants.FingerprintLength)
                {
                    return StunParseError.BadAttributeLength;
                }

                found.FingerprintOffset = valueOffset;
            }
            else if (!afterIntegrity)
            {
                StunParseError error = Record(type, valueOffset, length, ref found);
                if (error != StunParseError.None)
                {
                    return error;
                }

                afterIntegrity = type == StunAttributeType.MessageIntegrity;
            }

            position = valueOffset + StunPadding.Align4(length);
        }

        return StunParseError.None;
    }

    private static StunParseError Record(ushort type, int offset, int length, ref AttributeLocations found)
    {
        switch (type)
        {
            case StunAttributeType.Username:
                if (length > StunConstants.MaxUsernameLength)
                {
                    return StunParseError.BadAttributeLength;
                }

                if (found.UsernameOffset < 0)
                {
                    found.UsernameOffset = offset;
                    found.UsernameLength = length;
                }

                return StunParseError.None;

            case StunAttributeType.MessageIntegrity:
                found.IntegrityOffset = offset;
                return length == StunConstants.MessageIntegrityLength ? StunParseError.None : StunParseError.BadAttributeLength;

            case StunAttributeType.Priority:
                return RecordFixed(ref found.PriorityOffset, offset, length, 4);

            case StunAttributeType.UseCandidate:
                found.UseCandidate = true;
                return length == 0 ? StunParseError.None : StunParseError.BadAttributeLength;

            case StunAttributeType.IceControlling:
                return RecordFixed(ref found.ControllingOffset, offset, length, 8);

            case StunAttributeType.IceControlled:
                return RecordFixed(ref found.ControlledOffset, offset, length, 8);

            case StunAttributeType.XorMappedAddress:
                if (length != StunXorAddress.IPv4ValueLength && length != StunXorAddress.IPv6ValueLength)
                {
                    return StunParseError.BadAttributeLength;
                }

                if (found.XorMappedOffset < 0)
                {
                    found.XorMappedOffset = offset;
                    found.XorMappedLength = length;
                }

                return StunParseError.None;

            case StunAttributeType.ErrorCode:
                if (length < 4 || length > 4 + StunConstants.MaxReasonPhraseLength)
                {
                    return StunParseError.BadAttributeLength;
                }

                if (found.ErrorCodeOffset < 0)
                {
                    found.ErrorCodeOffset = offset;
                    found.ErrorCodeLength = length;
                }

                return StunParseError.None;

            default:
                return StunParseError.None;
        }
    }

    private static StunParseError RecordFixed(ref int slot, int offset, int length, int expected)
    {
        if (length != expected)
        {
            return StunParseError.BadAttributeLength;
        }

        if (slot < 0)
        {
            slot = offset;
        }

        return StunParseError.None;
    }
}
