namespace Suite.Meetings.Media.Sdp;

/// <summary>The RTP header extensions the SFU understands (RFC 8285 URIs as browsers write them).</summary>
internal static class RtpExtensionUris
{
    public const string Mid = "urn:ietf:params:rtp-hdrext:sdes:mid";
    public const string Rid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
    public const string RepairedRid = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
    public const string AbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
    public const string TransportWideCc = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    public const string AudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
}

/// <summary>One codec the SFU forwards: how to recognise it in an offer and which RTCP feedback it supports for it.</summary>
internal sealed class SupportedCodec
{
    private readonly Func<SdpCodec, bool> _acceptsParameters;

    public SupportedCodec(
        string kind, string name, int clockRate, int channels, IReadOnlyList<string> feedback, Func<SdpCodec, bool>? acceptsParameters = null)
    {
        Kind = kind;
        Name = name;
        ClockRate = clockRate;
        Channels = channels;
        Feedback = feedback;
        _acceptsParameters = acceptsParameters ?? (_ => true);
    }

    public string Kind { get; }

    public string Name { get; }

    public int ClockRate { get; }

    public int Channels { get; }

    public IReadOnlyList<string> Feedback { get; }

    public bool Matches(string kind, SdpCodec codec) =>
        Kind == kind && codec.IsNamed(Name) && codec.ClockRate == ClockRate && codec.Channels == Channels && _acceptsParameters(codec);
}

/// <summary>What the SFU accepts from publishers and offers to subscribers.</summary>
internal sealed class SfuMediaCapabilities
{
    public static readonly IReadOnlyList<string> VideoFeedback = ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"];

    public static readonly SfuMediaCapabilities Default = new(
        [
            new SupportedCodec("audio", "opus", 48000, 2, ["transport-cc"]),
            new SupportedCodec("video", "VP8", 90000, 1, VideoFeedback),
            new SupportedCodec("video", "VP9", 90000, 1, VideoFeedback, codec => (codec.Parameter("profile-id") ?? "0") == "0"),
            new SupportedCodec("video", "H264", 90000, 1, VideoFeedback, IsConstrainedBaselineNonInterleaved),
        ],
        [
            RtpExtensionUris.Mid,
            RtpExtensionUris.Rid,
            RtpExtensionUris.RepairedRid,
            RtpExtensionUris.AbsSendTime,
            RtpExtensionUris.TransportWideCc,
            RtpExtensionUris.AudioLevel,
        ]);

    public SfuMediaCapabilities(IReadOnlyList<SupportedCodec> codecs, IReadOnlyList<string> headerExtensions)
    {
        Codecs = codecs;
        HeaderExtensions = headerExtensions;
    }

    public IReadOnlyList<SupportedCodec> Codecs { get; }

    public IReadOnlyList<string> HeaderExtensions { get; }

    /// <summary>Retransmissions in their own payload type (RFC 4588) are accepted for every accepted video codec.</summary>
    public bool Rtx { get; init; } = true;

    public SupportedCodec? Find(string kind, SdpCodec codec) => Codecs.FirstOrDefault(supported => supported.Matches(kind, codec));

    /// <summary>
    /// Constrained Baseline with packetization-mode 1: what every browser can decode, so what one publisher sends
    /// every subscriber can play. The level is not compared: the SFU does not transcode and receivers cope.
    /// </summary>
    private static bool IsConstrainedBaselineNonInterleaved(SdpCodec codec) =>
        codec.Parameter("packetization-mode") == "1"
        && H264ProfileLevelId.TryParse(codec.Parameter("profile-level-id"), out H264ProfileLevelId profile)
        && profile.Profile == H264Profile.ConstrainedBaseline;
}
