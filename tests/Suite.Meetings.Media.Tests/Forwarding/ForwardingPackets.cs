using System.Diagnostics;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Tests.Forwarding;

/// <summary>Builds RTP packets carrying a VP8 payload descriptor with a 15-bit picture id and a TL0PICIDX.</summary>
internal static class ForwardingPackets
{
    public static byte[] Vp8(uint ssrc, ushort sequence, uint timestamp, int pictureId, int tl0, bool keyframeStart, bool startOfFrame = true, bool shortPictureId = false)
    {
        var packet = new byte[12 + 6 + 10];
        RtpHeaderWriter.WriteFixedHeader(packet, marker: false, payloadType: 96, sequence, timestamp, ssrc);
        var p = 12;
        packet[p++] = (byte)(0x80 | (startOfFrame ? 0x10 : 0));
        packet[p++] = 0x80 | 0x40 | 0x20;
        if (shortPictureId)
        {
            packet[p++] = (byte)(pictureId & 0x7F);
        }
        else
        {
            packet[p++] = (byte)(0x80 | ((pictureId >> 8) & 0x7F));
            packet[p++] = (byte)pictureId;
        }
        packet[p++] = (byte)tl0;
        packet[p++] = 0x00;
        packet[p] = (byte)(keyframeStart ? 0x00 : 0x01);
        return packet[..(p + 10 - (shortPictureId ? 1 : 0))];
    }

    public static RtpHeader Header(byte[] packet)
    {
        Assert.True(RtpHeader.TryParse(packet, out var header, out var error), error.ToString());
        return header;
    }

    public static Vp8Fields Read(byte[] packet)
    {
        var header = Header(packet);
        Assert.True(Media.Forwarding.Vp8Descriptor.TryParse(packet.AsSpan(header.PayloadOffset, header.PayloadLength), out var vp8));
        return new Vp8Fields(header.Ssrc, header.SequenceNumber, header.Timestamp, vp8.PictureId, vp8.Tl0PicIdx, vp8.IsKeyframeStart);
    }

    public static long Ticks(double milliseconds) => (long)(milliseconds * Stopwatch.Frequency / 1000.0);
}

internal readonly record struct Vp8Fields(uint Ssrc, ushort Sequence, uint Timestamp, int PictureId, int Tl0, bool Keyframe);
