using System.Diagnostics;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Forwarding;

/// <summary>
/// One subscriber's view of one track: its own SSRC, sequence-number, timestamp and VP8 picture-id spaces. The source
/// behind it may change (another simulcast layer, a publisher that restarted); each change starts a new mapping epoch
/// whose offsets continue the subscriber's numbering without a gap or a jump back, so the browser sees one smooth stream.
/// Not thread-safe: one forwarding loop owns it.
/// </summary>
internal sealed class StreamRewriter
{
    private const int PictureIdSpace = 1 << 15;

    private readonly int _clockRate;
    private readonly bool _vp8;
    private Epoch? _current;
    private Epoch? _previous;
    private ushort _lastOutSequence;
    private uint _lastOutTimestamp;
    private long _lastOutAt;
    private int _lastOutPictureId = -1;
    private int _lastOutTl0 = -1;

    public StreamRewriter(uint outSsrc, byte outPayloadType, int clockRate, bool vp8, ushort initialSequence = 0, uint initialTimestamp = 0)
    {
        OutSsrc = outSsrc;
        OutPayloadType = outPayloadType;
        _clockRate = clockRate;
        _vp8 = vp8;
        _lastOutSequence = (ushort)(initialSequence - 1);
        _lastOutTimestamp = initialTimestamp;
    }

    public uint OutSsrc { get; }

    public byte OutPayloadType { get; }

    public uint? SourceSsrc => _current?.SourceSsrc;

    public ushort LastSequence => _lastOutSequence;

    public uint LastTimestamp => _lastOutTimestamp;

    public long PacketsForwarded { get; private set; }

    /// <summary>Rewrites a decrypted packet of the selected source in place. <paramref name="newEpoch"/> is true for the
    /// first packet after the caller switched source (for video, a keyframe's first packet). Returns false for a packet
    /// that must not be forwarded (a straggler from before the switch).</summary>
    public bool Rewrite(Span<byte> packet, in RtpHeader header, bool newEpoch, long now = 0)
    {
        if (now == 0)
            now = Stopwatch.GetTimestamp();
        Vp8Descriptor vp8 = default;
        var hasVp8 = _vp8 && Vp8Descriptor.TryParse(packet[header.PayloadOffset..(header.PayloadOffset + header.PayloadLength)], out vp8);
        if (newEpoch || _current is null || _current.SourceSsrc != header.Ssrc)
            StartEpoch(header, hasVp8 ? vp8 : default, now);
        var epoch = _current!;
        if ((short)(header.SequenceNumber - epoch.FirstSourceSequence) < 0)
            return false;

        var outSequence = (ushort)(header.SequenceNumber + epoch.SequenceOffset);
        var outTimestamp = header.Timestamp + epoch.TimestampOffset;
        Write(packet, header, outSequence, outTimestamp, hasVp8 ? vp8 : default, epoch);

        if ((short)(outSequence - _lastOutSequence) > 0)
        {
            _lastOutSequence = outSequence;
            _lastOutAt = now;
        }
        if ((int)(outTimestamp - _lastOutTimestamp) > 0)
            _lastOutTimestamp = outTimestamp;
        PacketsForwarded++;
        return true;
    }

    /// <summary>The source packet behind a sequence number this subscriber asks to have again (a NACK), if it belongs
    /// to the current or the previous epoch.</summary>
    public bool TryMapBack(ushort outSequence, out uint sourceSsrc, out ushort sourceSequence)
    {
        sourceSsrc = 0;
        sourceSequence = 0;
        if (_current is null || (short)(outSequence - _lastOutSequence) > 0)
            return false;
        var epoch = (short)(outSequence - _current.FirstOutSequence) >= 0 ? _current
            : _previous is not null && (short)(outSequence - _previous.FirstOutSequence) >= 0 ? _previous
            : null;
        if (epoch is null)
            return false;
        sourceSsrc = epoch.SourceSsrc;
        sourceSequence = (ushort)(outSequence - epoch.SequenceOffset);
        return true;
    }

    /// <summary>The subscriber-side timestamp of a source timestamp of the current source (to rewrite sender reports).</summary>
    public bool TryMapTimestamp(uint sourceSsrc, uint sourceTimestamp, out uint outTimestamp)
    {
        outTimestamp = 0;
        if (_current is null || _current.SourceSsrc != sourceSsrc)
            return false;
        outTimestamp = sourceTimestamp + _current.TimestampOffset;
        return true;
    }

    /// <summary>Rewrites a cached source packet for retransmission with the mapping of its epoch, changing no state.</summary>
    public bool RewriteRetransmission(Span<byte> packet, in RtpHeader header)
    {
        var epoch = _current?.SourceSsrc == header.Ssrc ? _current : _previous?.SourceSsrc == header.Ssrc ? _previous : null;
        if (epoch is null || (short)(header.SequenceNumber - epoch.FirstSourceSequence) < 0)
            return false;
        Vp8Descriptor vp8 = default;
        var hasVp8 = _vp8 && Vp8Descriptor.TryParse(packet[header.PayloadOffset..(header.PayloadOffset + header.PayloadLength)], out vp8);
        Write(packet, header, (ushort)(header.SequenceNumber + epoch.SequenceOffset), header.Timestamp + epoch.TimestampOffset, hasVp8 ? vp8 : default, epoch);
        return true;
    }

    private void Write(Span<byte> packet, in RtpHeader header, ushort outSequence, uint outTimestamp, Vp8Descriptor vp8, Epoch epoch)
    {
        RtpHeaderWriter.SetSsrc(packet, OutSsrc);
        RtpHeaderWriter.SetPayloadType(packet, OutPayloadType);
        RtpHeaderWriter.SetSequenceNumber(packet, outSequence);
        RtpHeaderWriter.SetTimestamp(packet, outTimestamp);
        if (vp8.Length == 0)
            return;
        var payload = packet[header.PayloadOffset..];
        if (vp8.PictureId >= 0 && epoch.PictureIdOffset is { } pictureOffset)
        {
            var outPicture = (vp8.PictureId + pictureOffset) & (PictureIdSpace - 1);
            vp8.WritePictureId(payload, outPicture);
            if (_lastOutPictureId < 0 || ((outPicture - _lastOutPictureId + PictureIdSpace) % PictureIdSpace) < PictureIdSpace / 2)
                _lastOutPictureId = outPicture;
        }
        if (vp8.Tl0PicIdx >= 0 && epoch.Tl0Offset is { } tl0Offset)
        {
            var outTl0 = (vp8.Tl0PicIdx + tl0Offset) & 0xFF;
            vp8.WriteTl0PicIdx(payload, outTl0);
            if (_lastOutTl0 < 0 || (byte)(outTl0 - _lastOutTl0) < 128)
                _lastOutTl0 = outTl0;
        }
    }

    private void StartEpoch(in RtpHeader header, Vp8Descriptor vp8, long now)
    {
        _previous = _current;
        var elapsed = _lastOutAt == 0 ? 1 : Math.Max(1, (long)((now - _lastOutAt) * (double)_clockRate / Stopwatch.Frequency));
        var nextTimestamp = _current is null ? _lastOutTimestamp : _lastOutTimestamp + (uint)Math.Min(elapsed, int.MaxValue);
        _current = new Epoch
        {
            SourceSsrc = header.Ssrc,
            FirstSourceSequence = header.SequenceNumber,
            FirstOutSequence = (ushort)(_lastOutSequence + 1),
            SequenceOffset = (ushort)(_lastOutSequence + 1 - header.SequenceNumber),
            TimestampOffset = nextTimestamp - header.Timestamp,
            PictureIdOffset = vp8.PictureId >= 0 ? ((_lastOutPictureId < 0 ? vp8.PictureId : _lastOutPictureId + 1) - vp8.PictureId + PictureIdSpace) % PictureIdSpace : null,
            Tl0Offset = vp8.Tl0PicIdx >= 0 ? ((_lastOutTl0 < 0 ? vp8.Tl0PicIdx : _lastOutTl0 + 1) - vp8.Tl0PicIdx) & 0xFF : null,
        };
    }

    private sealed class Epoch
    {
        public uint SourceSsrc { get; init; }
        public ushort FirstSourceSequence { get; init; }
        public ushort SequenceOffset { get; init; }
        public uint TimestampOffset { get; init; }
        public int? PictureIdOffset { get; init; }
        public int? Tl0Offset { get; init; }
        public ushort FirstOutSequence { get; init; }
    }
}
