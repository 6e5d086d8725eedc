using System.Security.Cryptography;
using Suite.Meetings.Media.Forwarding;

namespace Suite.Meetings.Media.Rooms;

/// <summary>One track as one subscriber receives it: an m-section of the subscriber's connection with its own SSRC and
/// numbering, the simulcast layer chosen for it, and what the subscriber reports about it. Guarded by the room's lock.</summary>
internal sealed class Subscription
{
    public Subscription(PublishedTrack track, MediaParticipant subscriber, string mid, byte outPayloadType)
    {
        Track = track;
        Subscriber = subscriber;
        Mid = mid;
        MidBytes = System.Text.Encoding.ASCII.GetBytes(mid);
        OutSsrc = RandomSsrc();
        OutPayloadType = outPayloadType;
        Rewriter = new StreamRewriter(
            OutSsrc, outPayloadType, track.Codec.ClockRate, track.VideoCodec == VideoCodecKind.Vp8,
            (ushort)RandomNumberGenerator.GetInt32(0, 65536), (uint)RandomNumberGenerator.GetInt32(int.MaxValue));
        Selector = track.IsAudio ? null : new SimulcastLayerSelector(track.LayerCount);
    }

    public PublishedTrack Track { get; }

    public MediaParticipant Subscriber { get; }

    public string Mid { get; }

    public byte[] MidBytes { get; }

    public uint OutSsrc { get; }

    public byte OutPayloadType { get; }

    public StreamRewriter Rewriter { get; }

    public SimulcastLayerSelector? Selector { get; }

    /// <summary>True once an answer covering this m-section was accepted: before that the browser would drop the packets.</summary>
    public bool Negotiated { get; set; }

    /// <summary>The subscriber offer version that first carried this m-section.</summary>
    public ulong? OfferedInVersion { get; set; }

    /// <summary>Unpublished: kept as an inactive m-section (mids are never reused), nothing forwarded.</summary>
    public bool Ended { get; set; }

    public long PacketsSent { get; set; }

    public long OctetsSent { get; set; }

    public long BytesThisSecond { get; set; }

    public long BitsPerSecond { get; set; }

    public byte LastFractionLost { get; set; }

    public double? RoundTripMilliseconds { get; set; }

    public long LastKeyframeForward { get; set; }

    private static uint RandomSsrc() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue) | ((uint)RandomNumberGenerator.GetInt32(2) << 31);
}
