using System.Buffers.Binary;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Rooms;

/// <summary>
/// Copies a publisher's packet for one subscriber with the subscriber's own header extensions: the publisher's ids
/// mean nothing on the subscriber's connection, and its transport-wide sequence numbers belong to the publisher's
/// transport. The SSRC, sequence number, timestamp and payload type are then rewritten in place by the stream rewriter.
/// CSRCs are dropped (an SFU forwards, it does not mix).
/// </summary>
internal static class SubscriberPacketWriter
{
    /// <summary>The header extension ids of every subscribe connection (one BUNDLE group, so one id per URI).</summary>
    public const int AudioLevelId = 1;
    public const int MidId = 3;

    /// <summary>The largest header this writer produces: 12 fixed, 4 block header, mid ≤ 17, audio-level 2, padding.</summary>
    public const int MaxHeaderLength = 12 + 4 + 17 + 2 + 3;

    /// <returns>The packet length, or 0 when it does not fit <paramref name="destination"/>.</returns>
    public static int Write(
        Span<byte> destination, ReadOnlySpan<byte> source, in RtpHeader header, ReadOnlySpan<byte> mid, int audioLevel) =>
        Write(destination, source, header, mid, audioLevel, out _);

    /// <summary>Writes the packet and describes its header as <see cref="RtpHeader.TryParse"/> would, without parsing it again.</summary>
    /// <returns>The packet length, or 0 when it does not fit <paramref name="destination"/>.</returns>
    public static int Write(
        Span<byte> destination, ReadOnlySpan<byte> source, in RtpHeader header, ReadOnlySpan<byte> mid, int audioLevel, out RtpHeader written)
    {
        written = default;
        int bodyLength = source.Length - header.HeaderLength;
        if (bodyLength < 0 || destination.Length < MaxHeaderLength + bodyLength || mid.Length is 0 or > 16)
        {
            return 0;
        }

        destination[0] = (byte)(0x90 | (source[0] & 0x20)); // V=2, keep P, X=1, CC=0
        source[1..12].CopyTo(destination[1..]);
        var extensions = new RtpHeaderExtensionWriter(destination[12..], twoByteForm: false);
        extensions.Add(MidId, mid);
        if (audioLevel >= 0)
        {
            Span<byte> level = [(byte)audioLevel];
            extensions.Add(AudioLevelId, level);
        }

        if (!extensions.TryComplete(out int blockLength))
        {
            return 0;
        }

        int headerLength = 12 + blockLength;
        source[header.HeaderLength..].CopyTo(destination[headerLength..]);
        written = header with
        {
            HasExtension = true,
            CsrcCount = 0,
            ExtensionProfile = 0xBEDE,
            ExtensionOffset = 16,
            ExtensionLength = blockLength - 4,
            HeaderLength = headerLength,
        };
        return headerLength + bodyLength;
    }

    /// <summary>The audio-level byte (V flag and level) of a publisher's packet, or -1.</summary>
    public static int ReadAudioLevel(ReadOnlySpan<byte> packet, in RtpHeader header, int extensionId)
    {
        if (extensionId <= 0 || !header.HasExtension)
        {
            return -1;
        }

        return header.GetExtensions(packet).TryFind(extensionId, out ReadOnlySpan<byte> value) && value.Length >= 1 ? value[0] : -1;
    }

    public static bool TryReadTransportSequence(ReadOnlySpan<byte> packet, in RtpHeader header, int extensionId, out ushort sequence)
    {
        sequence = 0;
        if (extensionId <= 0 || !header.HasExtension
            || !header.GetExtensions(packet).TryFind(extensionId, out ReadOnlySpan<byte> value) || value.Length < 2)
        {
            return false;
        }

        sequence = BinaryPrimitives.ReadUInt16BigEndian(value);
        return true;
    }
}
