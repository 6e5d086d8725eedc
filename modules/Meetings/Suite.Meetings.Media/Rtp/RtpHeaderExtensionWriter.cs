using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtp;

/// <summary>
/// Writes an RTP header extension block (RFC 8285): the 4-byte block header, then elements, then zero padding to a
/// 32-bit boundary. Use <see cref="NeedsTwoByteForm"/> to pick the form able to carry every element. Any invalid
/// element or lack of room latches <see cref="Failed"/>.
/// </summary>
internal ref struct RtpHeaderExtensionWriter
{
    private readonly Span<byte> _destination;
    private readonly bool _twoByte;
    private int _length;

    public RtpHeaderExtensionWriter(Span<byte> destination, bool twoByteForm)
    {
        _destination = destination;
        _twoByte = twoByteForm;
        _length = 4;
        Failed = destination.Length < 4;
        if (!Failed)
        {
            BinaryPrimitives.WriteUInt16BigEndian(
                destination,
                twoByteForm ? RtpHeaderExtensionReader.TwoByteProfile : RtpHeaderExtensionReader.OneByteProfile);
        }
    }

    public bool Failed { get; private set; }

    /// <summary>The one-byte form carries IDs 1–14 with 1–16 byte values; anything else needs the two-byte form.</summary>
    public static bool NeedsTwoByteForm(int id, int valueLength) => id is < 1 or > 14 || valueLength is < 1 or > 16;

    public bool Add(int id, scoped ReadOnlySpan<byte> value)
    {
        bool valid = _twoByte
            ? id is >= 1 and <= 255 && value.Length <= 255
            : !NeedsTwoByteForm(id, value.Length);
        int headerSize = _twoByte ? 2 : 1;
        if (Failed || !valid || _length + headerSize + value.Length > _destination.Length)
        {
            Failed = true;
            return false;
        }

        if (_twoByte)
        {
            _destination[_length] = (byte)id;
            _destination[_length + 1] = (byte)value.Length;
        }
        else
        {
            _destination[_length] = (byte)((id << 4) | (value.Length - 1));
        }

        value.CopyTo(_destination[(_length + headerSize)..]);
        _length += headerSize + value.Length;
        return true;
    }

    /// <summary>Pads, writes the block length, and returns the total block size (a multiple of 4, header included).</summary>
    public bool TryComplete(out int blockLength)
    {
        blockLength = 0;
        int padded = (_length + 3) & ~3;
        if (Failed || padded > _destination.Length || (padded - 4) / 4 > ushort.MaxValue)
        {
            Failed = true;
            return false;
        }

        _destination[_length..padded].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(_destination[2..], (ushort)((padded - 4) / 4));
        blockLength = padded;
        return true;
    }
}
