namespace Suite.Meetings.Media.Sdp;

/// <summary>
/// A parsed SDP (RFC 8866) as WebRTC uses it: unified plan, one m-section per transceiver. Produced by
/// <see cref="SdpParser"/>, which never throws; what it could not understand is listed in <see cref="Errors"/>.
/// </summary>
internal sealed class SessionDescription
{
    public int? Version { get; set; }

    /// <summary>The o= line's session id and version (a renegotiation bumps the version).</summary>
    public string? OriginSessionId { get; set; }

    public ulong? OriginSessionVersion { get; set; }

    public SdpTransportAttributes Transport { get; } = new();

    public List<SdpGroup> Groups { get; } = [];

    public bool ExtmapAllowMixed { get; set; }

    /// <summary>Session-level a=extmap lines (rare: they apply to every m-section).</summary>
    public List<SdpHeaderExtension> HeaderExtensions { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    public List<SdpParseError> Errors { get; } = [];

    /// <summary>Errors beyond the collection limit are only counted.</summary>
    public int ErrorCount { get; set; }

    /// <summary>The mids of the first BUNDLE group, or empty.</summary>
    public IReadOnlyList<string> BundleMids =>
        Groups.FirstOrDefault(group => string.Equals(group.Semantics, "BUNDLE", StringComparison.OrdinalIgnoreCase))?.Mids ?? [];

    public MediaDescription? FindByMid(string mid) => Media.FirstOrDefault(media => media.Mid == mid);
}

/// <summary>One m-section.</summary>
internal sealed class MediaDescription
{
    public MediaDescription(SessionDescription session, int lineNumber, string kind, int port, string protocol)
    {
        Session = session;
        LineNumber = lineNumber;
        Kind = kind;
        Port = port;
        Protocol = protocol;
    }

    public SessionDescription Session { get; }

    public int LineNumber { get; }

    /// <summary>audio, video, application, or whatever else the m= line said.</summary>
    public string Kind { get; }

    /// <summary>0 means rejected (or, in a bundled offer, bundle-only).</summary>
    public int Port { get; }

    public string Protocol { get; }

    /// <summary>The fmt list: RTP payload types for RTP profiles, tokens such as webrtc-datachannel otherwise.</summary>
    public List<string> Formats { get; } = [];

    public string? Mid { get; set; }

    public SdpDirection Direction { get; set; } = SdpDirection.SendRecv;

    /// <summary>Only the m-section's own ICE/DTLS attributes; see the Effective… accessors for the inherited values.</summary>
    public SdpTransportAttributes Transport { get; } = new();

    public bool RtcpMux { get; set; }

    public bool RtcpReducedSize { get; set; }

    public bool BundleOnly { get; set; }

    public string? MsidStream { get; set; }

    public string? MsidTrack { get; set; }

    public List<SdpCodec> Codecs { get; } = [];

    public List<SdpHeaderExtension> HeaderExtensions { get; } = [];

    public List<SdpSsrc> Ssrcs { get; } = [];

    public List<SdpSsrcGroup> SsrcGroups { get; } = [];

    public List<SdpRid> Rids { get; } = [];

    public SdpSimulcast? Simulcast { get; set; }

    public List<SdpCandidate> Candidates { get; } = [];

    public bool EndOfCandidates { get; set; }

    /// <summary>
    /// a=fmtp and a=rtcp-fb lines (line number, payload type or "*", value), applied once the whole section is read:
    /// Firefox writes them before the a=rtpmap they refer to.
    /// </summary>
    internal List<(int LineNumber, string PayloadType, string Value)> PendingFmtp { get; } = [];

    internal List<(int LineNumber, string PayloadType, string Value)> PendingFeedback { get; } = [];

    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    public bool IsAudio => Kind == "audio";

    public bool IsVideo => Kind == "video";

    public string? EffectiveIceUfrag => Transport.IceUfrag ?? Session.Transport.IceUfrag;

    public string? EffectiveIcePwd => Transport.IcePwd ?? Session.Transport.IcePwd;

    public Dtls.DtlsFingerprint? EffectiveFingerprint => Transport.Fingerprint ?? Session.Transport.Fingerprint;

    public SdpSetupRole EffectiveSetup => Transport.Setup != SdpSetupRole.Unspecified ? Transport.Setup : Session.Transport.Setup;

    public SdpCodec? FindCodec(int payloadType) => Codecs.FirstOrDefault(codec => codec.PayloadType == payloadType);

    /// <summary>The RTX payload type that repairs <paramref name="payloadType"/>, if one was offered.</summary>
    public SdpCodec? FindRtxFor(int payloadType) => Codecs.FirstOrDefault(codec => codec.IsRtx && codec.AssociatedPayloadType == payloadType);

    public SdpHeaderExtension? FindExtension(string uri) => HeaderExtensions.FirstOrDefault(extension => extension.Uri == uri);

    /// <summary>The rids the author sends, in a=simulcast:send order when present, otherwise in a=rid order.</summary>
    public IReadOnlyList<string> SendRids()
    {
        if (Simulcast is { Send.Count: > 0 } simulcast)
        {
            return simulcast.Send.Select(alternatives => alternatives[0].Rid).ToList();
        }

        return Rids.Where(rid => rid.Direction == SdpDirection.SendOnly).Select(rid => rid.Id).ToList();
    }
}
