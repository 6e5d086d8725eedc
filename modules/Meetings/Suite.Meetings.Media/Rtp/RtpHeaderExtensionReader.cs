namespace Suite.Meetings.Media.Rtp;

/// <summary>One RFC 8285 header extension element: its local identifier and its value.</summary>
internal readonly ref struct RtpHeaderExtension
{
    public RtpHeaderExtension(byte id, ReadOnlySpan<byte> value)
    {
        Id = id;
        Value = value;
    }

    public byte Id { get; }

    public ReadOnlySpan<byte> Value { get; }
}

/// <summary>
/// Walks the elements of an RTP header extension block in the one-byte (profile 0xBEDE) or two-byte
/// (profile 0x100X) form of RFC 8285, allocation-free. Padding bytes are skipped; a one-byte ID of 15 ends the
/// walk (RFC 8285 §4.2). An element that runs past the block ends the walk and sets <see cref="IsMalformed"/>.
/// Other profiles (RFC 3550 extensions not following RFC 8285) yield no elements.
/// </summary>
internal ref struct RtpHeaderExtensionReader
{
    public const ushort OneByteProfile = 0xBEDE;
    public const ushort TwoByteProfile = 0x1000;
    public const ushort TwoByteProfileMask = 0xFFF0;

    private readonly ReadOnlySpan<byte> _data;
    private readonly bool _twoByte;
    private int _position;

    public RtpHeaderExtensionReader(ushort profile, ReadOnlySpan<byte> data)
    {
        IsSupported = profile == OneByteProfile || (profile & TwoByteProfileMask) == TwoByteProfile;
        _twoByte = profile != OneByteProfile;
        _data = IsSupported ? data : default;
        _position = 0;
        Current = default;
        IsMalformed = false;
    }

    /// <summary>The block uses one of the RFC 8285 forms.</summary>
    public bool IsSupported { get; }

    public bool IsMalformed { get; private set; }

    public RtpHeaderExtension Current { get; private set; }

    public readonly RtpHeaderExtensionReader GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_position < _data.Length)
        {
            byte first = _data[_position];
            if (first == 0)
            {
                _position++;
                continue;
            }

            return _twoByte ? ReadTwoByte(first) : ReadOneByte(first);
        }

        return false;
    }

    /// <summary>Finds the first element with <paramref name="id"/>.</summary>
    public readonly bool TryFind(int id, out ReadOnlySpan<byte> value)
    {
        RtpHeaderExtensionReader copy = this;
        copy._position = 0;
        while (copy.MoveNext())
        {
            if (copy.Current.Id == id)
            {
                value = copy.Current.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private bool ReadOneByte(byte first)
    {
        int id = first >> 4;
        if (id == 15)
        {
            _position = _data.Length;
            return false;
        }

        int length = (first & 0x0F) + 1;
        return Emit(id, _position + 1, length);
    }

    private bool ReadTwoByte(byte id)
    {
        if (_position + 2 > _data.Length)
        {
            return Malformed();
        }

        int length = _data[_position + 1];
        return Emit(id, _position + 2, length);
    }

    private bool Emit(int id, int valueOffset, int length)
    {
        if (valueOffset + length > _data.Length)
        {
            return Malformed();
        }

        Current = new RtpHeaderExtension((byte)id, _data.Slice(valueOffset, length));
        _position = valueOffset + length;
        return true;
    }

    private bool Malformed()
    {
        IsMalformed = true;
        _position = _data.Length;
        return false;
    }
}
