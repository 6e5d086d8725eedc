using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>One SDES item (RFC 3550 §6.5) with the SSRC/CSRC of the chunk it belongs to.</summary>
internal readonly ref struct RtcpSdesItem
{
    public const byte EndOfList = 0;
    public const byte Cname = 1;

    public RtcpSdesItem(uint ssrc, byte type, ReadOnlySpan<byte> value)
    {
        Ssrc = ssrc;
        Type = type;
        Value = value;
    }

    public uint Ssrc { get; }

    public byte Type { get; }

    public ReadOnlySpan<byte> Value { get; }
}

/// <summary>
/// Walks the items of an SDES packet chunk by chunk. Each chunk is an SSRC, items, a null item and padding to a
/// 32-bit boundary. A chunk that overruns the packet, or fewer chunks than the source count, sets <see cref="IsMalformed"/>.
/// </summary>
internal ref struct RtcpSdesReader
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly int _chunkCount;
    private int _chunksStarted;
    private int _position;
    private uint _ssrc;
    private bool _inChunk;

    public RtcpSdesReader(in RtcpPacket packet)
    {
        bool isSdes = packet.PacketType == RtcpPacketType.SourceDescription;
        _body = isSdes ? packet.Body : default;
        _chunkCount = isSdes ? packet.Count : 0;
        _chunksStarted = 0;
        _position = 0;
        _ssrc = 0;
        _inChunk = false;
        Current = default;
        IsMalformed = !isSdes;
    }

    public RtcpSdesItem Current { get; private set; }

    public bool IsMalformed { get; private set; }

    public readonly RtcpSdesReader GetEnumerator() => this;

    public bool MoveNext()
    {
        while (!IsMalformed)
        {
            if (!_inChunk)
            {
                if (_chunksStarted == _chunkCount)
                {
                    return false;
                }

                if (_position + 4 > _body.Length)
                {
                    return Malformed();
                }

                _ssrc = BinaryPrimitives.ReadUInt32BigEndian(_body[_position..]);
                _position += 4;
                _chunksStarted++;
                _inChunk = true;
            }

            if (_position >= _body.Length)
            {
                return Malformed();
            }

            byte type = _body[_position];
            if (type == RtcpSdesItem.EndOfList)
            {
                _position = (_position + 4) & ~3;
                _inChunk = false;
                continue;
            }

            if (_position + 2 > _body.Length || _position + 2 + _body[_position + 1] > _body.Length)
            {
                return Malformed();
            }

            int length = _body[_position + 1];
            Current = new RtcpSdesItem(_ssrc, type, _body.Slice(_position + 2, length));
            _position += 2 + length;
            return true;
        }

        return false;
    }

    private bool Malformed()
    {
        IsMalformed = true;
        return false;
    }
}
