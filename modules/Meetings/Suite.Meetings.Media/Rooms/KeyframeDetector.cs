using Suite.Meetings.Media.Forwarding;

namespace Suite.Meetings.Media.Rooms;

/// <summary>Whether an RTP payload starts a keyframe, for the codecs whose layers the SFU switches.</summary>
internal static class KeyframeDetector
{
    public static bool IsKeyframeStart(VideoCodecKind codec, ReadOnlySpan<byte> payload) => codec switch
    {
        VideoCodecKind.Vp8 => Vp8Descriptor.TryParse(payload, out Vp8Descriptor vp8) && vp8.IsKeyframeStart,
        VideoCodecKind.H264 => IsH264KeyframeStart(payload),
        VideoCodecKind.Vp9 => IsVp9KeyframeStart(payload),
        _ => false,
    };

    /// <summary>RFC 6184: an IDR slice or SPS as a single NAL unit, inside a STAP-A, or starting an FU-A.</summary>
    private static bool IsH264KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 2)
        {
            return false;
        }

        int type = payload[0] & 0x1F;
        switch (type)
        {
            case 5 or 7:
                return true;
            case 24: // STAP-A: 16-bit size, then the NAL unit
                for (int offset = 1; offset + 2 < payload.Length;)
                {
                    int size = (payload[offset] << 8) | payload[offset + 1];
                    if (size == 0 || offset + 2 + size > payload.Length)
                    {
                        return false;
                    }

                    if ((payload[offset + 2] & 0x1F) is 5 or 7)
                    {
                        return true;
                    }

                    offset += 2 + size;
                }

                return false;
            case 28: // FU-A: start bit and the fragmented NAL type
                return (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5;
            default:
                return false;
        }
    }

    /// <summary>RFC 9628 descriptor: start of a frame (B) that is not inter-predicted (P clear), on spatial layer 0.</summary>
    private static bool IsVp9KeyframeStart(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < 1)
        {
            return false;
        }

        byte first = payload[0];
        bool interPicture = (first & 0x40) != 0;
        bool startOfFrame = (first & 0x08) != 0;
        if (interPicture || !startOfFrame)
        {
            return false;
        }

        bool hasLayerIndices = (first & 0x20) != 0;
        if (!hasLayerIndices)
        {
            return true;
        }

        int offset = 1;
        if ((first & 0x80) != 0) // picture id
        {
            if (payload.Length <= offset)
            {
                return false;
            }

            offset += (payload[offset] & 0x80) != 0 ? 2 : 1;
        }

        return payload.Length > offset && ((payload[offset] >> 1) & 0x07) == 0;
    }
}

internal enum VideoCodecKind
{
    None,
    Vp8,
    Vp9,
    H264,
    Other,
}
