using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtp;

/// <summary>Writes RTP fixed headers and rewrites the fields an SFU changes when forwarding (in place).</summary>
internal static class RtpHeaderWriter
{
    /// <summary>Writes a 12-byte fixed header without CSRCs; returns 12, or 0 when it does not fit.</summary>
    public static int WriteFixedHeader(
        Span<byte> destination, bool marker, byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc,
        bool hasExtension = false, bool hasPadding = false)
    {
        if (destination.Length < RtpHeader.FixedLength || payloadType > 127)
        {
            return 0;
        }

        destination[0] = (byte)((RtpHeader.Version << 6) | (hasPadding ? 0x20 : 0) | (hasExtension ? 0x10 : 0));
        destination[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], sequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], ssrc);
        return RtpHeader.FixedLength;
    }

    public static void SetSequenceNumber(Span<byte> packet, ushort sequenceNumber) =>
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], sequenceNumber);

    public static void SetTimestamp(Span<byte> packet, uint timestamp) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], timestamp);

    public static void SetSsrc(Span<byte> packet, uint ssrc) =>
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], ssrc);

    public static void SetPayloadType(Span<byte> packet, byte payloadType) =>
        packet[1] = (byte)((packet[1] & 0x80) | (payloadType & 0x7F));

    public static void SetMarker(Span<byte> packet, bool marker) =>
        packet[1] = (byte)((packet[1] & 0x7F) | (marker ? 0x80 : 0));
}
