using System.Buffers.Binary;

namespace Suite.Meetings.Media.Stun;

/// <summary>One attribute of a parsed STUN message: its type and its value without padding.</summary>
internal readonly ref struct StunAttribute
{
    public StunAttribute(ushort type, ReadOnlySpan<byte> value)
    {
        Type = type;
        Value = value;
    }

    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }
}

/// <summary>
/// Walks the attributes of a message whose layout <see cref="StunMessage.TryParse"/> has already validated,
/// in wire order, allocation-free (use with <c>foreach</c>).
/// </summary>
internal ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private int _next;

    public StunAttributeEnumerator(ReadOnlySpan<byte> message)
    {
        _message = message;
        _next = StunConstants.HeaderLength;
        Current = default;
    }

    public StunAttribute Current { get; private set; }

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_next + StunConstants.AttributeHeaderLength > _message.Length)
        {
            return false;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(_message[_next..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(_next + 2)..]);
        int valueOffset = _next + StunConstants.AttributeHeaderLength;
        if (valueOffset + length > _message.Length)
        {
            return false;
        }

        Current = new StunAttribute(type, _message.Slice(valueOffset, length));
        _next = valueOffset + StunPadding.Align4(length);
        return true;
    }
}

internal static class StunPadding
{
    public static int Align4(int length) => (length + 3) & ~3;
}
