using System.Buffers.Binary;

namespace Suite.Meetings.Media.Rtcp;

/// <summary>Writes the common 4-byte RTCP header.</summary>
internal static class RtcpHeaderWriter
{
    /// <param name="totalLength">The whole packet length in bytes, header and padding included (a multiple of 4).</param>
    public static void Write(Span<byte> destination, byte count, byte packetType, int totalLength, bool padding = false)
    {
        destination[0] = (byte)(0x80 | (padding ? 0x20 : 0) | (count & 0x1F));
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((totalLength / 4) - 1));
    }

    /// <summary>Largest RTCP packet the 16-bit length field can describe.</summary>
    public const int MaxPacketLength = 4 * (ushort.MaxValue + 1);
}
