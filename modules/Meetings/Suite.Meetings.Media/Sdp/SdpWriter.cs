using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Suite.Meetings.Media.Sdp;

/// <summary>
/// Serializes a <see cref="SessionDescription"/> the way browsers expect to read one: CRLF line ends, session-level
/// lines first, then per m-section the transport, the RTP parameters and the sources. ICE and DTLS attributes are
/// written in every m-section (as Chromium does), from the section's own values or else the session's.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription description)
    {
        ArgumentNullException.ThrowIfNull(description);
        var sdp = new StringBuilder(2048);
        Line(sdp, "v=0");
        Line(sdp, $"o=- {description.OriginSessionId ?? "0"} {description.OriginSessionVersion ?? 1} IN IP4 127.0.0.1");
        Line(sdp, "s=-");
        Line(sdp, "t=0 0");
        if (description.Transport.IceLite)
        {
            Line(sdp, "a=ice-lite");
        }

        foreach (SdpGroup group in description.Groups)
        {
            Line(sdp, $"a=group:{group.Semantics}{string.Concat(group.Mids.Select(mid => " " + mid))}");
        }

        if (description.ExtmapAllowMixed)
        {
            Line(sdp, "a=extmap-allow-mixed");
        }

        Line(sdp, "a=msid-semantic: WMS *");
        foreach (MediaDescription media in description.Media)
        {
            WriteMedia(sdp, media);
        }

        return sdp.ToString();
    }

    private static void WriteMedia(StringBuilder sdp, MediaDescription media)
    {
        string formats = string.Join(' ', media.Formats);
        Line(sdp, $"m={media.Kind} {media.Port} {media.Protocol} {formats}");
        SdpCandidate? first = media.Candidates.FirstOrDefault();
        bool ipv6 = first?.IpAddress?.AddressFamily == AddressFamily.InterNetworkV6;
        Line(sdp, first is null || media.Port == 0 ? "c=IN IP4 0.0.0.0" : $"c=IN {(ipv6 ? "IP6" : "IP4")} {first.Address}");
        if (media.Port == 0)
        {
            // Rejected: only what identifies the section (RFC 8843 §7.3.3).
            if (media.Mid is not null)
            {
                Line(sdp, $"a=mid:{media.Mid}");
            }

            if (media.IsRtp)
            {
                Line(sdp, "a=inactive");
            }

            return;
        }

        foreach (SdpCandidate candidate in media.Candidates)
        {
            Line(sdp, string.Create(
                CultureInfo.InvariantCulture,
                $"a=candidate:{candidate.Foundation} {candidate.Component} {candidate.Transport} {candidate.Priority} {candidate.Address} {candidate.Port} typ {candidate.Type}"));
        }

        if (media.EndOfCandidates)
        {
            Line(sdp, "a=end-of-candidates");
        }

        OptionalLine(sdp, "a=ice-ufrag:", media.EffectiveIceUfrag);
        OptionalLine(sdp, "a=ice-pwd:", media.EffectiveIcePwd);
        OptionalLine(sdp, "a=fingerprint:", media.EffectiveFingerprint?.ToSdpValue());
        if (media.EffectiveSetup != SdpSetupRole.Unspecified)
        {
            Line(sdp, $"a=setup:{media.EffectiveSetup.ToAttribute()}");
        }

        OptionalLine(sdp, "a=mid:", media.Mid);
        foreach (SdpHeaderExtension extension in media.HeaderExtensions)
        {
            string direction = extension.Direction is SdpDirection value ? "/" + value.ToAttribute() : "";
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=extmap:{extension.Id}{direction} {extension.Uri}"));
        }

        Line(sdp, $"a={media.Direction.ToAttribute()}");
        if (media.MsidStream is not null)
        {
            Line(sdp, $"a=msid:{media.MsidStream}{(media.MsidTrack is null ? "" : " " + media.MsidTrack)}");
        }

        if (media.RtcpMux)
        {
            Line(sdp, "a=rtcp-mux");
        }

        if (media.RtcpReducedSize)
        {
            Line(sdp, "a=rtcp-rsize");
        }

        foreach (SdpCodec codec in media.Codecs)
        {
            WriteCodec(sdp, codec);
        }

        foreach (SdpRid rid in media.Rids)
        {
            string restrictions = rid.Restrictions.Length > 0 ? " " + rid.Restrictions : "";
            Line(sdp, $"a=rid:{rid.Id} {(rid.Direction == SdpDirection.SendOnly ? "send" : "recv")}{restrictions}");
        }

        if (media.Simulcast is SdpSimulcast simulcast)
        {
            var value = new StringBuilder();
            AppendSimulcast(value, "send", simulcast.Send);
            AppendSimulcast(value, "recv", simulcast.Receive);
            Line(sdp, $"a=simulcast:{value}");
        }

        foreach (SdpSsrcGroup group in media.SsrcGroups)
        {
            Line(sdp, $"a=ssrc-group:{group.Semantics} {string.Join(' ', group.Ssrcs)}");
        }

        foreach (SdpSsrc ssrc in media.Ssrcs)
        {
            foreach ((string key, string value) in ssrc.Attributes)
            {
                Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=ssrc:{ssrc.Ssrc} {key}{(value.Length > 0 ? ":" + value : "")}"));
            }
        }
    }

    private static void WriteCodec(StringBuilder sdp, SdpCodec codec)
    {
        string channels = codec.Channels > 1 ? "/" + codec.Channels.ToString(CultureInfo.InvariantCulture) : "";
        Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.Name}/{codec.ClockRate}{channels}"));
        foreach (string feedback in codec.Feedback)
        {
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=rtcp-fb:{codec.PayloadType} {feedback}"));
        }

        if (codec.Fmtp.Length > 0)
        {
            Line(sdp, string.Create(CultureInfo.InvariantCulture, $"a=fmtp:{codec.PayloadType} {codec.Fmtp}"));
        }
    }

    private static void AppendSimulcast(StringBuilder value, string direction, List<IReadOnlyList<SdpSimulcastStream>> streams)
    {
        if (streams.Count == 0)
        {
            return;
        }

        if (value.Length > 0)
        {
            value.Append(' ');
        }

        value.Append(direction).Append(' ');
        value.AppendJoin(';', streams.Select(alternatives => string.Join(',', alternatives.Select(s => (s.Paused ? "~" : "") + s.Rid))));
    }

    private static void OptionalLine(StringBuilder sdp, string prefix, string? value)
    {
        if (value is not null)
        {
            Line(sdp, prefix + value);
        }
    }

    private static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");

    /// <summary>Host candidate priority (RFC 8445 §5.1.2.1): type preference 126, distinct local preferences, component 1.</summary>
    public static uint HostCandidatePriority(int index) => (126u << 24) | ((uint)(65535 - Math.Min(index, 65535)) << 8) | 255u;

    /// <summary>a=candidate entries for the SFU's host addresses, all UDP on their configured ports.</summary>
    public static List<SdpCandidate> HostCandidates(IReadOnlyList<IPEndPoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var candidates = new List<SdpCandidate>(endpoints.Count);
        for (int i = 0; i < endpoints.Count; i++)
        {
            IPEndPoint endpoint = endpoints[i];
            IPAddress address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
            candidates.Add(new SdpCandidate(
                (i + 1).ToString(CultureInfo.InvariantCulture), 1, "udp", HostCandidatePriority(i), address.ToString(), endpoint.Port, "host"));
        }

        return candidates;
    }
}
