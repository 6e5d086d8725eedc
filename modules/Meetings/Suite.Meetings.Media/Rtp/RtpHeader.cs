using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtp;

/// <summary>
/// The parsed fixed header of an RTP packet (RFC 3550 §5.1) plus the offsets of its CSRC list, header extension,
/// payload and padding. It holds no reference to the packet: pass the same buffer to the accessors.
/// </summary>
internal readonly struct RtpHeader
{
    public const int FixedLength = 12;
    public const int Version = 2;

    public bool HasPadding { get; init; }

    public bool HasExtension { get; init; }

    public int CsrcCount { get; init; }

    public bool Marker { get; init; }

    public byte PayloadType { get; init; }

    public ushort SequenceNumber { get; init; }

    public uint Timestamp { get; init; }

    public uint Ssrc { get; init; }

    /// <summary>The header extension's "defined by profile" field (0xBEDE one-byte, 0x100x two-byte, RFC 8285).</summary>
    public ushort ExtensionProfile { get; init; }

    /// <summary>Offset of the extension data (after its 4-byte header); 0 when there is no extension.</summary>
    public int ExtensionOffset { get; init; }

    /// <summary>Length of the extension data in bytes (a multiple of 4).</summary>
    public int ExtensionLength { get; init; }

    /// <summary>Fixed header + CSRCs + header extension: where the payload starts.</summary>
    public int HeaderLength { get; init; }

    public int PayloadLength { get; init; }

    public int PaddingLength { get; init; }

    public int PayloadOffset => HeaderLength;

    /// <summary>Parses and validates the header, including padding (only meaningful on a decrypted packet).</summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header, out RtpParseError error)
    {
        header = default;
        error = ReadLayout(packet, out int headerLength, out int extensionOffset, out int extensionLength);
        if (error != RtpParseError.None)
        {
            return false;
        }

        bool hasPadding = (packet[0] & 0x20) != 0;
        int paddingLength = 0;
        if (hasPadding)
        {
            paddingLength = packet[^1];
            if (paddingLength == 0 || headerLength + paddingLength > packet.Length)
            {
                error = RtpParseError.BadPadding;
                return false;
            }
        }

        header = new RtpHeader
        {
            HasPadding = hasPadding,
            HasExtension = extensionOffset != 0,
            CsrcCount = packet[0] & 0x0F,
            Marker = (packet[1] & 0x80) != 0,
            PayloadType = (byte)(packet[1] & 0x7F),
            SequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            Timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            ExtensionProfile = extensionOffset == 0 ? (ushort)0 : BinaryPrimitives.ReadUInt16BigEndian(packet[(extensionOffset - 4)..]),
            ExtensionOffset = extensionOffset,
            ExtensionLength = extensionLength,
            HeaderLength = headerLength,
            PayloadLength = packet.Length - headerLength - paddingLength,
            PaddingLength = paddingLength,
        };
        return true;
    }

    /// <summary>
    /// Header length only (fixed header, CSRCs, extension), without looking at padding: what SRTP needs, since the
    /// padding count of a protected packet is encrypted.
    /// </summary>
    public static bool TryGetHeaderLength(ReadOnlySpan<byte> packet, out int headerLength, out RtpParseError error)
    {
        error = ReadLayout(packet, out headerLength, out _, out _);
        return error == RtpParseError.None;
    }

    public uint GetCsrc(ReadOnlySpan<byte> packet, int index)
    {
        if ((uint)index >= (uint)CsrcCount)
        {
            throw new ArgumentOutOfRangeException(nameof(index));
        }

        return BinaryPrimitives.ReadUInt32BigEndian(packet[(FixedLength + (4 * index))..]);
    }

    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet) => packet.Slice(HeaderLength, PayloadLength);

    public RtpHeaderExtensionReader GetExtensions(ReadOnlySpan<byte> packet) =>
        HasExtension
            ? new RtpHeaderExtensionReader(ExtensionProfile, packet.Slice(ExtensionOffset, ExtensionLength))
            : default;

    private static RtpParseError ReadLayout(
        ReadOnlySpan<byte> packet, out int headerLength, out int extensionOffset, out int extensionLength)
    {
        headerLength = 0;
        extensionOffset = 0;
        extensionLength = 0;
        if (packet.Length < FixedLength)
        {
            return RtpParseError.Truncated;
        }

        if (packet[0] >> 6 != Version)
        {
            return RtpParseError.BadVersion;
        }

        int length = FixedLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return RtpParseError.Truncated;
            }

            extensionLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
            extensionOffset = length + 4;
            length = extensionOffset + extensionLength;
        }

        if (packet.Length < length)
        {
            extensionOffset = 0;
            extensionLength = 0;
            return RtpParseError.Truncated;
        }

        headerLength = length;
        return RtpParseError.None;
    }
}
