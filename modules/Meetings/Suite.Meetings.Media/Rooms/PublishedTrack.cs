using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Rooms;

/// <summary>One track a participant publishes (one m-section of its publish connection) and who receives it.
/// Guarded by the room's lock.</summary>
internal sealed class PublishedTrack
{
    public PublishedTrack(string trackId, MediaParticipant publisher, MediaDescription media, MediaTrackSource source)
    {
        TrackId = trackId;
        Publisher = publisher;
        Mid = media.Mid!;
        Kind = media.Kind;
        Source = source;
        Codec = media.Codecs.First(codec => !codec.IsRtx);
        foreach (SdpCodec codec in media.Codecs)
        {
            if (codec.IsRtx && codec.AssociatedPayloadType is int apt)
            {
                RtxPayloadTypes[codec.PayloadType] = apt;
            }
            else
            {
                MediaPayloadTypes.Add(codec.PayloadType);
            }
        }

        Rids = media.Simulcast is { Receive.Count: > 0 } simulcast ? simulcast.Receive.Select(stream => stream[0].Rid).ToList() : [];
        Layers = new SourceStream?[Math.Max(1, Rids.Count)];
        VideoCodec = Kind != "video" ? VideoCodecKind.None
            : Codec.IsNamed("VP8") ? VideoCodecKind.Vp8
            : Codec.IsNamed("VP9") ? VideoCodecKind.Vp9
            : Codec.IsNamed("H264") ? VideoCodecKind.H264
            : VideoCodecKind.Other;
    }

    public string TrackId { get; }

    public MediaParticipant Publisher { get; }

    public string Mid { get; }

    public string Kind { get; }

    public MediaTrackSource Source { get; }

    /// <summary>The codec the publisher sends (the first one of the answer, which browsers use).</summary>
    public SdpCodec Codec { get; }

    public VideoCodecKind VideoCodec { get; }

    public HashSet<int> MediaPayloadTypes { get; } = [];

    /// <summary>RTX payload type → the media payload type it repairs.</summary>
    public Dictionary<int, int> RtxPayloadTypes { get; } = [];

    /// <summary>Simulcast rids from the lowest layer to the highest (the order of a=simulcast).</summary>
    public IReadOnlyList<string> Rids { get; }

    public SourceStream?[] Layers { get; }

    public int LayerCount => Layers.Length;

    public bool Enabled { get; set; } = true;

    public bool IsAudio => Kind == "audio";

    public List<Subscription> Subscriptions { get; } = [];

    public MediaTrackInfo Describe() => new(TrackId, Publisher.Id, Kind, Source, LayerCount, Enabled);

    public int LayerOfRid(ReadOnlySpan<byte> rid)
    {
        for (int i = 0; i < Rids.Count; i++)
        {
            if (rid.Length == Rids[i].Length && System.Text.Encoding.ASCII.GetString(rid) == Rids[i])
            {
                return i;
            }
        }

        return -1;
    }

    public SourceStream? FindLayer(uint ssrc)
    {
        foreach (SourceStream? layer in Layers)
        {
            if (layer?.Ssrc == ssrc)
            {
                return layer;
            }
        }

        return null;
    }
}
