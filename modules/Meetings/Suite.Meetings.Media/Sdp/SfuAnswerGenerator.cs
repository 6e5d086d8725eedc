namespace Suite.Meetings.Media.Sdp;

/// <summary>An answer to a publisher's offer, or why none can be given.</summary>
internal sealed class SdpAnswerResult
{
    private SdpAnswerResult(SessionDescription? answer, RemoteTransportParameters? remote, string? error, IReadOnlyList<string> notes)
    {
        Answer = answer;
        Remote = remote;
        Error = error;
        Notes = notes;
    }

    public bool Succeeded => Answer is not null;

    public SessionDescription? Answer { get; }

    /// <summary>The offerer's ICE credentials and fingerprint (for the ICE-lite responder and the DTLS check).</summary>
    public RemoteTransportParameters? Remote { get; }

    public string? Error { get; }

    /// <summary>What was left out and why (rejected m-sections, dropped simulcast), for logs.</summary>
    public IReadOnlyList<string> Notes { get; }

    public string ToSdp() => SdpWriter.Write(Answer ?? throw new InvalidOperationException(Error));

    public static SdpAnswerResult Success(SessionDescription answer, RemoteTransportParameters remote, IReadOnlyList<string> notes) =>
        new(answer, remote, null, notes);

    public static SdpAnswerResult Failure(string error, IReadOnlyList<string> notes) => new(null, null, error, notes);
}

/// <summary>
/// Answers a browser's offer as an ICE-lite SFU that receives what the browser publishes: one BUNDLE transport with
/// rtcp-mux, a=setup:passive (we are the DTLS server), host candidates for the configured addresses, and per
/// m-section the offered codecs, RTCP feedback and header extensions that the SFU supports, keeping the offerer's
/// payload types and extension ids. Simulcast offered with a=simulcast:send is accepted as a=simulcast:recv.
/// </summary>
internal static class SfuAnswerGenerator
{
    public static SdpAnswerResult CreateAnswer(
        SessionDescription offer,
        SfuTransportParameters transport,
        SfuMediaCapabilities? capabilities = null,
        ulong sessionId = 1,
        ulong sessionVersion = 1)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(transport);
        capabilities ??= SfuMediaCapabilities.Default;
        var notes = new List<string>();
        if (offer.Version is null || offer.Media.Count == 0)
        {
            return SdpAnswerResult.Failure("the offer has no m-sections", notes);
        }

        var answer = new SessionDescription
        {
            Version = 0,
            OriginSessionId = sessionId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            OriginSessionVersion = sessionVersion,
            ExtmapAllowMixed = offer.ExtmapAllowMixed,
        };
        answer.Transport.IceLite = true;
        answer.Transport.IceUfrag = transport.IceUfrag;
        answer.Transport.IcePwd = transport.IcePwd;
        answer.Transport.Fingerprint = transport.Fingerprint;
        answer.Transport.Setup = SdpSetupRole.Passive;
        List<SdpCandidate> candidates = SdpWriter.HostCandidates(transport.HostAddresses);

        var acceptedMids = new List<string>();
        MediaDescription? firstAccepted = null;
        foreach (MediaDescription offered in offer.Media)
        {
            string? rejection = WhyRejected(offered, offer.BundleMids);
            MediaDescription? accepted = rejection is null ? Accept(answer, offered, capabilities, candidates, notes) : null;
            if (accepted is null)
            {
                rejection ??= "no codec in common";
                notes.Add($"m-section {offered.Mid ?? "(no mid)"} ({offered.Kind}) rejected: {rejection}");
                answer.Media.Add(Rejected(answer, offered));
                continue;
            }

            answer.Media.Add(accepted);
            acceptedMids.Add(accepted.Mid!);
            firstAccepted ??= offered;
        }

        if (firstAccepted is null)
        {
            return SdpAnswerResult.Failure("no m-section could be accepted", notes);
        }

        if (!RemoteTransportParameters.TryRead(firstAccepted, out RemoteTransportParameters? remote, out string error))
        {
            return SdpAnswerResult.Failure(error, notes);
        }

        if (remote.Setup is SdpSetupRole.Passive or SdpSetupRole.HoldConn)
        {
            return SdpAnswerResult.Failure($"the offerer wants setup:{remote.Setup.ToAttribute()}, but the SFU is always the DTLS server", notes);
        }

        answer.Groups.Add(new SdpGroup("BUNDLE", acceptedMids));
        return SdpAnswerResult.Success(answer, remote, notes);
    }

    private static string? WhyRejected(MediaDescription offered, IReadOnlyList<string> bundleMids)
    {
        if (offered.Mid is null)
        {
            return "no a=mid";
        }

        if (!offered.IsAudio && !offered.IsVideo)
        {
            return offered.Kind == "application" ? "data channels are not supported" : $"media {offered.Kind} is not supported";
        }

        if (!offered.Protocol.Equals("UDP/TLS/RTP/SAVPF", StringComparison.OrdinalIgnoreCase))
        {
            return $"protocol {offered.Protocol} is not UDP/TLS/RTP/SAVPF";
        }

        if (offered.Port == 0 && !offered.BundleOnly)
        {
            return "rejected by the offerer";
        }

        if (!bundleMids.Contains(offered.Mid))
        {
            return "not in the BUNDLE group";
        }

        return offered.RtcpMux ? null : "rtcp-mux is required";
    }

    private static MediaDescription? Accept(
        SessionDescription answer, MediaDescription offered, SfuMediaCapabilities capabilities, List<SdpCandidate> candidates, List<string> notes)
    {
        int port = candidates.Count > 0 ? candidates[0].Port : 9;
        var media = new MediaDescription(answer, 0, offered.Kind, port, offered.Protocol)
        {
            Mid = offered.Mid,
            RtcpMux = true,
            RtcpReducedSize = offered.RtcpReducedSize,
            EndOfCandidates = true,
            Direction = offered.Direction.Sends() ? SdpDirection.RecvOnly : SdpDirection.Inactive,
        };
        media.Candidates.AddRange(candidates);

        foreach (SdpCodec codec in offered.Codecs.Where(codec => !codec.IsRtx))
        {
            if (capabilities.Find(offered.Kind, codec) is SupportedCodec supported)
            {
                media.Codecs.Add(CopyCodec(codec, codec.Feedback.Where(supported.Feedback.Contains)));
            }
        }

        if (media.Codecs.Count == 0)
        {
            return null;
        }

        if (capabilities.Rtx)
        {
            var primaries = media.Codecs.Select(codec => codec.PayloadType).ToHashSet();
            foreach (SdpCodec rtx in offered.Codecs.Where(codec => codec.IsRtx && codec.AssociatedPayloadType is int apt && primaries.Contains(apt)))
            {
                media.Codecs.Add(CopyCodec(rtx, []));
            }
        }

        media.Formats.AddRange(media.Codecs.Select(codec => codec.PayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        media.HeaderExtensions.AddRange(offered.HeaderExtensions
            .Where(extension => capabilities.HeaderExtensions.Contains(extension.Uri))
            .Select(extension => extension with { Direction = null }));

        AcceptSimulcast(offered, media, notes);
        return media;
    }

    private static void AcceptSimulcast(MediaDescription offered, MediaDescription media, List<string> notes)
    {
        if (offered.Simulcast is not { Send.Count: > 0 } simulcast || !offered.Direction.Sends())
        {
            return;
        }

        if (media.FindExtension(RtpExtensionUris.Rid) is null)
        {
            notes.Add($"m-section {offered.Mid}: simulcast dropped, the rid header extension was not offered");
            return;
        }

        var declared = offered.Rids.Where(rid => rid.Direction == SdpDirection.SendOnly).Select(rid => rid.Id).ToHashSet();
        var received = new SdpSimulcast();
        foreach (IReadOnlyList<SdpSimulcastStream> alternatives in simulcast.Send)
        {
            // Browsers offer one alternative per stream; take the first declared one.
            SdpSimulcastStream? stream = alternatives.FirstOrDefault(alternative => declared.Contains(alternative.Rid));
            if (stream is null)
            {
                continue;
            }

            received.Receive.Add([stream]);
            media.Rids.Add(new SdpRid(stream.Rid, SdpDirection.RecvOnly, ""));
        }

        if (received.Receive.Count > 0)
        {
            media.Simulcast = received;
        }
    }

    private static SdpCodec CopyCodec(SdpCodec codec, IEnumerable<string> feedback)
    {
        var copy = new SdpCodec(codec.PayloadType, codec.Name, codec.ClockRate, codec.Channels) { Fmtp = codec.Fmtp };
        foreach ((string key, string value) in codec.Parameters)
        {
            copy.Parameters[key] = value;
        }

        copy.Feedback.AddRange(feedback);
        return copy;
    }

    private static MediaDescription Rejected(SessionDescription answer, MediaDescription offered)
    {
        var rejected = new MediaDescription(answer, 0, offered.Kind, 0, offered.Protocol.Length > 0 ? offered.Protocol : "UDP/TLS/RTP/SAVPF")
        {
            Mid = offered.Mid,
            Direction = SdpDirection.Inactive,
        };
        rejected.Formats.Add(offered.Formats.FirstOrDefault() ?? "0");
        return rejected;
    }
}
