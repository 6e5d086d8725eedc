namespace Suite.Meetings.Media.Forwarding;

/// <summary>The VP8 payload descriptor of RFC 7741 §4.2: what a forwarder needs to read and rewrite
/// (picture id, TL0PICIDX, temporal layer) and whether the packet starts a keyframe.</summary>
internal readonly struct Vp8Descriptor
{
    public bool StartOfPartition { get; init; }

    public int PartitionIndex { get; init; }

    /// <summary>-1 when absent.</summary>
    public int PictureId { get; init; }

    /// <summary>True for a 15-bit picture id (M bit), false for 7 bits.</summary>
    public bool LongPictureId { get; init; }

    /// <summary>Offset of the picture id field in the payload; 0 when absent.</summary>
    public int PictureIdOffset { get; init; }

    /// <summary>-1 when absent.</summary>
    public int Tl0PicIdx { get; init; }

    public int Tl0PicIdxOffset { get; init; }

    /// <summary>-1 when absent.</summary>
    public int TemporalLayer { get; init; }

    /// <summary>Length of the descriptor: where the VP8 payload header starts.</summary>
    public int Length { get; init; }

    /// <summary>First packet of a keyframe: start of partition 0 and the payload header's P bit clear.</summary>
    public bool IsKeyframeStart { get; init; }

    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8Descriptor descriptor)
    {
        descriptor = default;
        if (payload.Length < 1)
            return false;
        var first = payload[0];
        var extended = (first & 0x80) != 0;
        var start = (first & 0x10) != 0;
        var partition = first & 0x07;
        var offset = 1;
        int pictureId = -1, pictureIdOffset = 0, tl0 = -1, tl0Offset = 0, temporal = -1;
        var longId = false;
        if (extended)
        {
            if (payload.Length < 2)
                return false;
            var flags = payload[1];
            offset = 2;
            if ((flags & 0x80) != 0)
            {
                if (payload.Length < offset + 1)
                    return false;
                pictureIdOffset = offset;
                longId = (payload[offset] & 0x80) != 0;
                if (longId)
                {
                    if (payload.Length < offset + 2)
                        return false;
                    pictureId = ((payload[offset] & 0x7F) << 8) | payload[offset + 1];
                    offset += 2;
                }
                else
                {
                    pictureId = payload[offset] & 0x7F;
                    offset += 1;
                }
            }
            if ((flags & 0x40) != 0)
            {
                if (payload.Length < offset + 1)
                    return false;
                tl0Offset = offset;
                tl0 = payload[offset];
                offset += 1;
            }
            if ((flags & 0x30) != 0)
            {
                if (payload.Length < offset + 1)
                    return false;
                if ((flags & 0x20) != 0)
                    temporal = payload[offset] >> 6;
                offset += 1;
            }
        }
        var keyframe = start && partition == 0 && payload.Length > offset && (payload[offset] & 0x01) == 0;
        descriptor = new Vp8Descriptor
        {
            StartOfPartition = start,
            PartitionIndex = partition,
            PictureId = pictureId,
            LongPictureId = longId,
            PictureIdOffset = pictureIdOffset,
            Tl0PicIdx = tl0,
            Tl0PicIdxOffset = tl0Offset,
            TemporalLayer = temporal,
            Length = offset,
            IsKeyframeStart = keyframe,
        };
        return true;
    }

    /// <summary>Writes a picture id in the packet's own width (7 or 15 bits), wrapping as the field does.</summary>
    public void WritePictureId(Span<byte> payload, int pictureId)
    {
        if (PictureIdOffset == 0)
            return;
        if (LongPictureId)
        {
            var value = pictureId & 0x7FFF;
            payload[PictureIdOffset] = (byte)(0x80 | (value >> 8));
            payload[PictureIdOffset + 1] = (byte)value;
        }
        else
        {
            payload[PictureIdOffset] = (byte)(pictureId & 0x7F);
        }
    }

    public void WriteTl0PicIdx(Span<byte> payload, int value)
    {
        if (Tl0PicIdxOffset != 0)
            payload[Tl0PicIdxOffset] = (byte)value;
    }
}
