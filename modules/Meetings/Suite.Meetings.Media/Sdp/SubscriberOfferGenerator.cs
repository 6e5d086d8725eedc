using System.Globalization;

namespace Suite.Meetings.Media.Sdp;

/// <summary>
/// One track the SFU sends to a subscriber, i.e. one sendonly m-section: the subscriber-side SSRC (and RTX SSRC),
/// the codecs with the payload types used towards this subscriber, and the header extensions with their ids.
/// An inactive track keeps its m-section (and mid) for reuse but announces no source.
/// </summary>
internal sealed record SubscriberTrack(
    string Mid,
    string Kind,
    IReadOnlyList<SdpCodec> Codecs,
    IReadOnlyList<SdpHeaderExtension> HeaderExtensions,
    uint Ssrc,
    uint? RtxSsrc,
    string Cname,
    string StreamId,
    string TrackId,
    bool Active = true);

/// <summary>
/// Writes the SFU's offer to a subscriber: ICE-lite, one BUNDLE group over every m-section, rtcp-mux,
/// a=setup:actpass (RFC 8842 §5.2; browsers then answer active, leaving the SFU the DTLS server), and per track a
/// sendonly m-section with msid, a=ssrc cname/msid lines and an FID group pairing the media SSRC with its RTX SSRC.
/// </summary>
internal static class SubscriberOfferGenerator
{
    public static SessionDescription CreateOffer(
        SfuTransportParameters transport, IReadOnlyList<SubscriberTrack> tracks, ulong sessionId = 1, ulong sessionVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(tracks);
        if (tracks.Count == 0)
        {
            throw new ArgumentException("An offer needs at least one track.", nameof(tracks));
        }

        if (tracks.Select(track => track.Mid).Distinct(StringComparer.Ordinal).Count() != tracks.Count)
        {
            throw new ArgumentException("Every track needs its own mid.", nameof(tracks));
        }

        var offer = new SessionDescription
        {
            Version = 0,
            OriginSessionId = sessionId.ToString(CultureInfo.InvariantCulture),
            OriginSessionVersion = sessionVersion,
            ExtmapAllowMixed = true,
        };
        offer.Transport.IceLite = true;
        offer.Transport.IceUfrag = transport.IceUfrag;
        offer.Transport.IcePwd = transport.IcePwd;
        offer.Transport.Fingerprint = transport.Fingerprint;
        offer.Transport.Setup = SdpSetupRole.ActPass;
        List<SdpCandidate> candidates = SdpWriter.HostCandidates(transport.HostAddresses);
        int port = candidates.Count > 0 ? candidates[0].Port : 9;

        foreach (SubscriberTrack track in tracks)
        {
            if (track.Codecs.Count == 0)
            {
                throw new ArgumentException($"Track {track.Mid} has no codec.", nameof(tracks));
            }

            var media = new MediaDescription(offer, 0, track.Kind, port, "UDP/TLS/RTP/SAVPF")
            {
                Mid = track.Mid,
                Direction = track.Active ? SdpDirection.SendOnly : SdpDirection.Inactive,
                RtcpMux = true,
                RtcpReducedSize = true,
                EndOfCandidates = true,
            };
            media.Candidates.AddRange(candidates);
            media.Codecs.AddRange(track.Codecs);
            media.Formats.AddRange(track.Codecs.Select(codec => codec.PayloadType.ToString(CultureInfo.InvariantCulture)));
            media.HeaderExtensions.AddRange(track.HeaderExtensions);
            if (track.Active)
            {
                media.MsidStream = track.StreamId;
                media.MsidTrack = track.TrackId;
                AddSource(media, track.Ssrc, track);
                if (track.RtxSsrc is uint rtxSsrc)
                {
                    media.SsrcGroups.Add(new SdpSsrcGroup("FID", [track.Ssrc, rtxSsrc]));
                    AddSource(media, rtxSsrc, track);
                }
            }

            offer.Media.Add(media);
        }

        offer.Groups.Add(new SdpGroup("BUNDLE", tracks.Select(track => track.Mid).ToList()));
        return offer;
    }

    private static void AddSource(MediaDescription media, uint ssrc, SubscriberTrack track)
    {
        var source = new SdpSsrc(ssrc);
        source.Attributes["cname"] = track.Cname;
        source.Attributes["msid"] = $"{track.StreamId} {track.TrackId}";
        media.Ssrcs.Add(source);
    }
}
