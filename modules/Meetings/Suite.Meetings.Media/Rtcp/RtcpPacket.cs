using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>One RTCP packet inside a compound packet: its header fields and body (padding removed).</summary>
internal readonly ref struct RtcpPacket
{
    public const int HeaderLength = 4;

    public RtcpPacket(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> body)
    {
        Packet = packet;
        Body = body;
    }

    /// <summary>The whole packet, header and padding included.</summary>
    public ReadOnlySpan<byte> Packet { get; }

    /// <summary>What follows the 4-byte header, padding excluded.</summary>
    public ReadOnlySpan<byte> Body { get; }

    /// <summary>The 5-bit count field: a report or source count, or the feedback message type (FMT).</summary>
    public byte Count => (byte)(Packet[0] & 0x1F);

    public byte PacketType => Packet[1];

    public bool HasPadding => (Packet[0] & 0x20) != 0;

    /// <summary>The first SSRC of the body (the sender's for SR, RR and feedback); 0 when the body is shorter.</summary>
    public uint SenderSsrc => Body.Length >= 4 ? BinaryPrimitives.ReadUInt32BigEndian(Body) : 0;

    public bool Is(byte packetType, byte format) => PacketType == packetType && Count == format;
}

/// <summary>
/// Walks the packets of an RTCP compound packet (RFC 3550 §6.1), validating version, lengths and padding of each.
/// The walk stops at the first bad packet and reports why in <see cref="Error"/>; packets before it were valid.
/// Reduced-size RTCP (RFC 5506) is accepted: the first packet need not be a report.
/// </summary>
internal ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _datagram;
    private int _position;

    public RtcpCompoundReader(ReadOnlySpan<byte> datagram)
    {
        _datagram = datagram;
        _position = 0;
        Current = default;
        Error = datagram.IsEmpty ? RtcpParseError.Truncated : RtcpParseError.None;
    }

    public RtcpPacket Current { get; private set; }

    public RtcpParseError Error { get; private set; }

    public readonly RtcpCompoundReader GetEnumerator() => this;

    /// <summary>True when the whole datagram is a well-formed sequence of RTCP packets.</summary>
    public static bool IsValid(ReadOnlySpan<byte> datagram, out RtcpParseError error)
    {
        var reader = new RtcpCompoundReader(datagram);
        while (reader.MoveNext())
        {
        }

        error = reader.Error;
        return error == RtcpParseError.None;
    }

    public bool MoveNext()
    {
        if (Error != RtcpParseError.None || _position >= _datagram.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> rest = _datagram[_position..];
        if (rest.Length < RtcpPacket.HeaderLength)
        {
            return Fail(RtcpParseError.Truncated);
        }

        if (rest[0] >> 6 != 2)
        {
            return Fail(RtcpParseError.BadVersion);
        }

        int length = 4 * (BinaryPrimitives.ReadUInt16BigEndian(rest[2..]) + 1);
        if (length > rest.Length)
        {
            return Fail(RtcpParseError.Truncated);
        }

        ReadOnlySpan<byte> packet = rest[..length];
        int bodyLength = length - RtcpPacket.HeaderLength;
        if ((packet[0] & 0x20) != 0)
        {
            int padding = packet[^1];
            if (padding == 0 || padding > bodyLength)
            {
                return Fail(RtcpParseError.BadPadding);
            }

            bodyLength -= padding;
        }

        Current = new RtcpPacket(packet, packet.Slice(RtcpPacket.HeaderLength, bodyLength));
        _position += length;
        return true;
    }

    private bool Fail(RtcpParseError error)
    {
        Error = error;
        _position = _datagram.Length;
        return false;
    }
}
