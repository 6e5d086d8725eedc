using System.Diagnostics;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Rooms;

/// <summary>
/// One participant: its publish connection (it offers, we answer) and its subscribe connection (we offer the room's
/// other tracks, it answers). Packet handlers run on the transport's receive thread; everything takes the room's lock.
/// </summary>
internal sealed class MediaParticipant : IMediaParticipant
{
    private const long StartBandwidth = 3_000_000;
    private const long MinBandwidth = 300_000;
    private const long MaxBandwidth = 30_000_000;

    private readonly MediaRoom _room;
    private readonly UdpMediaTransport _transport;
    private readonly Dictionary<string, PublishedTrack> _tracksByMid = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, SsrcRoute> _sources = [];
    private readonly List<Subscription> _subscriptions = [];
    private readonly Dictionary<uint, Subscription> _subscriptionsBySsrc = [];
    private readonly Dictionary<string, int> _maxLayers = new(StringComparer.Ordinal);
    private readonly TransportCcRecorder _transportCc = new();
    private ParticipantSession? _publish;
    private ParticipantSession? _subscribe;
    private ulong _publishVersion;
    private ulong _subscribeVersion;
    private bool _offerPending;
    private bool _subscriptionDirty;
    private PublisherExtensionIds _extensions;
    private long _lastTransportFeedback;
    private long _lastDecrease;
    private static readonly long TransportFeedbackInterval = Stopwatch.Frequency / 20; // 50 ms
    private static readonly long LayerStallTicks = Stopwatch.Frequency * 3 / 10; // 300 ms: about nine frames at 30 fps

    public MediaParticipant(MediaRoom room, UdpMediaTransport transport, string id)
    {
        _room = room;
        _transport = transport;
        Id = id;
        RtcpSsrc = (uint)System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue);
    }

    public string Id { get; }

    public string RoomId => _room.Id;

    /// <summary>The SSRC our RTCP towards this participant is sent from.</summary>
    public uint RtcpSsrc { get; }

    public bool Removed { get; private set; }

    public long EstimatedBandwidth { get; private set; } = StartBandwidth;

    public MediaConnectionState PublishState => StateOf(_publish);

    public MediaConnectionState SubscribeState => StateOf(_subscribe);

    internal ParticipantSession? PublishSession => _publish;

    internal ParticipantSession? SubscribeSession => _subscribe;

    internal IReadOnlyCollection<PublishedTrack> Tracks => _tracksByMid.Values;

    internal List<Subscription> Subscriptions => _subscriptions;

    public MediaNegotiation Publish(string offerSdp, IReadOnlyDictionary<string, MediaTrackSource>? sourcesByMid = null)
    {
        SessionDescription offer = SdpParser.Parse(offerSdp);
        if (!RemoteTransportParameters.TryRead(offer, out RemoteTransportParameters? remote, out string error))
        {
            return MediaNegotiation.Failure(error);
        }

        lock (_room.Gate)
        {
            if (Removed)
            {
                return MediaNegotiation.Failure("the participant has left the room");
            }

            if (_publish is not null && (_publish.Remote?.IceUfrag != remote.IceUfrag || _publish.IsClosed))
            {
                // An ICE restart (or a dead connection): a fresh session, and the tracks are published again.
                ClosePublish("publish connection restarted");
            }

            _publish ??= CreateSession(remote, isPublish: true);
            SdpAnswerResult answer = SfuAnswerGenerator.CreateAnswer(offer, _transport.DescribeLocal(_publish), sessionVersion: ++_publishVersion);
            if (!answer.Succeeded)
            {
                return MediaNegotiation.Failure(answer.Error ?? "the offer could not be answered");
            }

            _extensions = PublisherExtensionIds.From(answer.Answer!);
            ApplyPublishedTracks(answer.Answer!, offer, sourcesByMid);
            return MediaNegotiation.Success(answer.ToSdp());
        }
    }

    public string? TakeSubscriberOffer()
    {
        lock (_room.Gate)
        {
            if (Removed || _offerPending || (!_subscriptionDirty && _subscribe is not null) || _subscriptions.Count == 0)
            {
                return null;
            }

            _subscribe ??= CreateSession(null, isPublish: false);
            var tracks = _subscriptions.Select(DescribeSubscription).ToList();
            SessionDescription offer = SubscriberOfferGenerator.CreateOffer(
                _transport.DescribeLocal(_subscribe), tracks, sessionId: RtcpSsrc, sessionVersion: ++_subscribeVersion);
            _offerPending = true;
            _subscriptionDirty = false;
            foreach (Subscription subscription in _subscriptions)
            {
                subscription.OfferedInVersion ??= _subscribeVersion;
            }

            return SdpWriter.Write(offer);
        }
    }

    public MediaNegotiation AcceptSubscriberAnswer(string answerSdp)
    {
        SessionDescription answer = SdpParser.Parse(answerSdp);
        lock (_room.Gate)
        {
            if (Removed || _subscribe is null || !_offerPending)
            {
                return MediaNegotiation.Failure("no subscriber offer is waiting for an answer");
            }

            if (!RemoteTransportParameters.TryRead(answer, out RemoteTransportParameters? remote, out string error))
            {
                return MediaNegotiation.Failure(error);
            }

            if (remote.Setup is not (SdpSetupRole.Active or SdpSetupRole.Unspecified))
            {
                return MediaNegotiation.Failure($"the answer must take setup:active, not {remote.Setup.ToAttribute()}");
            }

            if (_subscribe.Remote is null)
            {
                _transport.SetRemote(_subscribe, remote);
            }
            else if (_subscribe.Remote.IceUfrag != remote.IceUfrag)
            {
                return MediaNegotiation.Failure("an ICE restart of the subscribe connection is not supported: rejoin");
            }

            _offerPending = false;
            long now = Stopwatch.GetTimestamp();
            foreach (Subscription subscription in _subscriptions)
            {
                if (!subscription.Negotiated && subscription.OfferedInVersion <= _subscribeVersion && answer.FindByMid(subscription.Mid) is { Port: > 0 })
                {
                    subscription.Negotiated = true;
                    _room.RequestKeyframeFor(subscription, now);
                }
            }

            if (_subscriptionDirty)
            {
                _room.Raise(new MediaSubscriptionChanged(_room.Id, Id));
            }

            return MediaNegotiation.Success(null);
        }
    }

    public void SetMaxLayer(string trackId, int maxLayer)
    {
        lock (_room.Gate)
        {
            _maxLayers[trackId] = Math.Max(0, maxLayer);
            foreach (Subscription subscription in _subscriptions)
            {
                if (subscription.Track.TrackId == trackId && subscription.Selector is { } selector)
                {
                    selector.RequestedMaxLayer = Math.Min(Math.Max(0, maxLayer), selector.LayerCount - 1);
                    _room.UpdateLayer(subscription, Stopwatch.GetTimestamp());
                }
            }
        }
    }

    public MediaParticipantStats GetStats()
    {
        lock (_room.Gate)
        {
            long received = 0;
            double receiveLoss = 0;
            int sources = 0;
            foreach (PublishedTrack track in _tracksByMid.Values)
            {
                foreach (SourceStream? layer in track.Layers)
                {
                    if (layer is not null)
                    {
                        received += layer.BitsPerSecond;
                        receiveLoss += layer.LastFractionLost / 256.0;
                        sources++;
                    }
                }
            }

            long sent = 0;
            double sendLoss = 0;
            var rtts = new List<double>();
            var layers = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (Subscription subscription in _subscriptions.Where(s => !s.Ended))
            {
                sent += subscription.BitsPerSecond;
                sendLoss += subscription.LastFractionLost / 256.0;
                if (subscription.RoundTripMilliseconds is double rtt)
                {
                    rtts.Add(rtt);
                }

                if (subscription.Selector is { } selector)
                {
                    layers[subscription.Track.TrackId] = selector.CurrentLayer;
                }
            }

            int active = _subscriptions.Count(s => !s.Ended);
            return new MediaParticipantStats(
                received, sent, sources == 0 ? 0 : receiveLoss / sources, active == 0 ? 0 : sendLoss / active,
                rtts.Count == 0 ? null : rtts.Average(), EstimatedBandwidth, layers);
        }
    }

    /// <summary>Adds an m-section for a track published by someone else (room lock held).</summary>
    internal void Subscribe(PublishedTrack track)
    {
        var subscription = new Subscription(track, this, _subscriptions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), OutPayloadType(track));
        if (subscription.Selector is { } selector && _maxLayers.TryGetValue(track.TrackId, out int max))
        {
            selector.RequestedMaxLayer = Math.Min(max, selector.LayerCount - 1);
        }

        _subscriptions.Add(subscription);
        _subscriptionsBySsrc[subscription.OutSsrc] = subscription;
        track.Subscriptions.Add(subscription);
        MarkSubscriptionDirty();
    }

    /// <summary>Turns the track's m-section inactive (room lock held).</summary>
    internal void Unsubscribe(PublishedTrack track)
    {
        foreach (Subscription subscription in _subscriptions)
        {
            if (subscription.Track == track && !subscription.Ended)
            {
                subscription.Ended = true;
                MarkSubscriptionDirty();
            }
        }
    }

    /// <summary>Closes both connections (room lock held); the room unpublishes the tracks.</summary>
    internal void Close(string reason)
    {
        Removed = true;
        if (_publish is not null)
        {
            _transport.CloseSession(_publish, SessionCloseReason.Closed, reason);
        }

        if (_subscribe is not null)
        {
            _transport.CloseSession(_subscribe, SessionCloseReason.Closed, reason);
        }
    }

    /// <summary>Periodic work (room lock held): transport-cc feedback and NACKs to the publisher; every second, reports and layer choices.</summary>
    internal void Tick(long now, bool everySecond, Span<byte> buffer)
    {
        if (_publish is { IsSecure: true } publish)
        {
            if (now - _lastTransportFeedback >= TransportFeedbackInterval)
            {
                SendTransportFeedback(now);
            }

            Span<ushort> lost = stackalloc ushort[64];
            foreach (PublishedTrack track in _tracksByMid.Values)
            {
                foreach (SourceStream? layer in track.Layers)
                {
                    int count = layer?.CollectNacks(now, lost) ?? 0;
                    if (count > 0)
                    {
                        lost[..count].Sort();
                        int nackLength = RtcpWriter.WriteNack(buffer, RtcpSsrc, layer!.Ssrc, lost[..count]);
                        if (nackLength > 0)
                        {
                            _room.SendRtcp(publish, buffer, nackLength);
                        }
                    }
                }
            }

            if (everySecond)
            {
                SendReceiverReports(publish, now, buffer);
            }
        }

        LeaveStalledLayers(now);
        if (everySecond)
        {
            foreach (Subscription subscription in _subscriptions)
            {
                subscription.BitsPerSecond = subscription.BytesThisSecond * 8;
                subscription.BytesThisSecond = 0;
            }

            AllocateBandwidth(now);
        }
    }

    internal void OnPublisherRtp(ReadOnlySpan<byte> packet)
    {
        if (!RtpHeader.TryParse(packet, out RtpHeader header, out _))
        {
            _room.CountDrop("rtp-malformed");
            return;
        }

        long now = Stopwatch.GetTimestamp();
        lock (_room.Gate)
        {
            if (Removed)
            {
                return;
            }

            _room.CountIn(packet.Length);
            if (SubscriberPacketWriter.TryReadTransportSequence(packet, header, _extensions.TransportCc, out ushort transportSequence))
            {
                _transportCc.Record(transportSequence, NtpClock.Microseconds(now));
                if (now - _lastTransportFeedback >= TransportFeedbackInterval)
                {
                    // From the packet path, not a timer: late or bunched feedback reads as congestion to the browser.
                    SendTransportFeedback(now);
                }
            }

            if (!_sources.TryGetValue(header.Ssrc, out SsrcRoute route) && !TryLearnSsrc(packet, header, out route))
            {
                _room.CountDrop("unknown-ssrc");
                return;
            }

            if (route.IsRtx)
            {
                _room.OnRetransmission(route.Stream, packet, header, now);
                return;
            }

            if (!route.Stream.Track.MediaPayloadTypes.Contains(header.PayloadType))
            {
                _room.CountDrop("unknown-payload-type");
                return;
            }

            int audioLevel = route.Stream.Track.IsAudio ? SubscriberPacketWriter.ReadAudioLevel(packet, header, _extensions.AudioLevel) : -1;
            _room.OnMedia(route.Stream, packet, header, audioLevel, now, retransmission: false);
        }
    }

    internal void OnPublisherRtcp(ReadOnlySpan<byte> datagram)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_room.Gate)
        {
            if (Removed)
            {
                return;
            }

            _room.CountIn(datagram.Length);
            foreach (RtcpPacket packet in new RtcpCompoundReader(datagram))
            {
                if (packet.PacketType == RtcpPacketType.SenderReport && RtcpSenderReport.TryParse(packet, out RtcpSenderReport report, out _)
                    && _sources.TryGetValue(report.Ssrc, out SsrcRoute route) && !route.IsRtx)
                {
                    route.Stream.LastSenderReport = report.CompactNtp;
                    route.Stream.LastSenderReportTimestamp = now;
                    _room.ForwardSenderReport(route.Stream, report.RtpTimestamp, now);
                }
            }
        }
    }

    internal void OnSubscriberRtcp(ReadOnlySpan<byte> datagram)
    {
        long now = Stopwatch.GetTimestamp();
        lock (_room.Gate)
        {
            if (Removed)
            {
                return;
            }

            _room.CountIn(datagram.Length);
            foreach (RtcpPacket packet in new RtcpCompoundReader(datagram))
            {
                HandleSubscriberFeedback(packet, now);
            }
        }
    }

    /// <summary>
    /// A publisher's browser may stop a simulcast layer at any time (CPU or bandwidth adaptation). A subscriber left on
    /// it would freeze until the once-a-second rates notice; instead, a layer silent for a few frames is marked empty
    /// now, so the selector asks a keyframe of the next layer down and switches on it.
    /// </summary>
    private void LeaveStalledLayers(long now)
    {
        foreach (Subscription subscription in _subscriptions)
        {
            if (subscription.Ended || !subscription.Negotiated || subscription.Selector is not { CurrentLayer: > 0 } selector
                || !subscription.Track.Enabled)
            {
                continue;
            }

            SourceStream? current = subscription.Track.Layers[selector.CurrentLayer];
            if (current is null || now - current.LastPacketTimestamp > LayerStallTicks)
            {
                selector.SetLayerBitrate(selector.CurrentLayer, 0);
                _room.UpdateLayer(subscription, now);
            }
        }
    }

    private void SendTransportFeedback(long now)
    {
        _lastTransportFeedback = now;
        if (_publish is not { IsSecure: true } publish)
        {
            return;
        }

        Span<byte> buffer = stackalloc byte[1280];
        uint mediaSsrc = _sources.Count > 0 ? _sources.Keys.First() : 0;
        int length = _transportCc.WriteFeedback(buffer[..1200], RtcpSsrc, mediaSsrc);
        if (length > 0)
        {
            _room.SendRtcp(publish, buffer, length);
        }
    }

    internal Subscription? FindSubscription(uint outSsrc) => _subscriptionsBySsrc.GetValueOrDefault(outSsrc);

    private void HandleSubscriberFeedback(in RtcpPacket packet, long now)
    {
        switch (packet.PacketType)
        {
            case RtcpPacketType.ReceiverReport when RtcpReceiverReport.TryParse(packet, out RtcpReceiverReport report, out _):
                for (int i = 0; i < report.ReportCount; i++)
                {
                    OnReportBlock(report.GetReportBlock(i), now);
                }

                break;
            case RtcpPacketType.SenderReport when RtcpSenderReport.TryParse(packet, out RtcpSenderReport senderReport, out _):
                for (int i = 0; i < senderReport.ReportCount; i++)
                {
                    OnReportBlock(senderReport.GetReportBlock(i), now);
                }

                break;
            case RtcpPacketType.TransportFeedback when packet.Count == RtcpFeedbackFormat.GenericNack
                && RtcpNack.TryParse(packet, out RtcpNack nack, out _):
                if (FindSubscription(nack.MediaSsrc) is { } nacked)
                {
                    Span<ushort> lost = stackalloc ushort[RtcpNack.MaxLostPerEntry * 16];
                    int count = nack.GetLostSequenceNumbers(lost);
                    _room.Retransmit(nacked, lost[..count]);
                }

                break;
            case RtcpPacketType.PayloadFeedback when packet.Count == RtcpFeedbackFormat.PictureLossIndication
                && RtcpFeedback.TryParse(packet, RtcpPacketType.PayloadFeedback, RtcpFeedbackFormat.PictureLossIndication, out RtcpFeedback pli, out _):
                if (FindSubscription(pli.MediaSsrc) is { } pictureLost)
                {
                    _room.RequestKeyframeFor(pictureLost, now);
                }

                break;
            case RtcpPacketType.PayloadFeedback when packet.Count == RtcpFeedbackFormat.FullIntraRequest
                && RtcpFullIntraRequest.TryParse(packet, out RtcpFullIntraRequest fir, out _):
                for (int i = 0; i < fir.EntryCount; i++)
                {
                    fir.GetEntry(i, out uint ssrc, out _);
                    if (FindSubscription(ssrc) is { } intra)
                    {
                        _room.RequestKeyframeFor(intra, now);
                    }
                }

                break;
            // REMB from a subscriber is ignored on purpose: Chromium sends one even when not negotiated, from a
            // receive-side estimator that stays near what it already receives, which would pin it to the lowest layer.
        }
    }

    private void OnReportBlock(RtcpReportBlock block, long now)
    {
        if (FindSubscription(block.Ssrc) is not { } subscription)
        {
            return;
        }

        subscription.LastFractionLost = block.FractionLost;
        if (block.LastSenderReport != 0)
        {
            uint nowCompact = NtpClock.Compact(NtpClock.At(now));
            uint rtt = nowCompact - block.LastSenderReport - block.DelaySinceLastSenderReport;
            if (rtt < 65536 * 10)
            {
                subscription.RoundTripMilliseconds = rtt * 1000.0 / 65536;
            }
        }

        if (subscription.Track.Kind == "video")
        {
            // Loss-based control (GCC's loss controller): back off on heavy loss at
            // most every two seconds (one burst, several reports), grow by a tenth per clean report.
            double loss = block.FractionLost / 256.0;
            if (loss > 0.10 && Stopwatch.GetElapsedTime(_lastDecrease, now) > TimeSpan.FromSeconds(2))
            {
                _lastDecrease = now;
                // From what is actually sent when the estimate drifted above it, but never more than halving at once:
                // one lossy report while only the lowest layer flows must not pin the subscriber there.
                long sending = SendingBitsPerSecond();
                long basis = sending > 0 ? Math.Clamp(sending, EstimatedBandwidth / 2, EstimatedBandwidth) : EstimatedBandwidth;
                EstimatedBandwidth = (long)(basis * (1 - (0.5 * loss)));
            }
            else if (loss < 0.02)
            {
                EstimatedBandwidth = (long)(EstimatedBandwidth * 1.10);
            }

            EstimatedBandwidth = Math.Clamp(EstimatedBandwidth, MinBandwidth, MaxBandwidth);
        }
    }

    private long SendingBitsPerSecond()
    {
        long total = 0;
        foreach (Subscription subscription in _subscriptions)
        {
            total += subscription.BitsPerSecond;
        }

        return total;
    }

    /// <summary>Splits the estimate between the video subscriptions and lets each selector pick its layer.</summary>
    private void AllocateBandwidth(long now)
    {
        // Clean reports raise the estimate; without a cap it would drift far above what is sent and take a minute
        // of heavy loss to come down when the link shrinks.
        EstimatedBandwidth = Math.Min(EstimatedBandwidth, Math.Max(StartBandwidth, (2 * SendingBitsPerSecond()) + 500_000));

        int video = 0;
        long audio = 0;
        foreach (Subscription subscription in _subscriptions)
        {
            if (subscription.Ended)
            {
                continue;
            }

            if (subscription.Selector is null)
            {
                audio += 64_000;
            }
            else if (subscription.Track.Enabled)
            {
                video++;
            }
        }

        long share = video == 0 ? 0 : Math.Max(0, EstimatedBandwidth - audio) / video;
        foreach (Subscription subscription in _subscriptions)
        {
            if (subscription.Ended || subscription.Selector is not { } selector)
            {
                continue;
            }

            selector.EstimatedBandwidth = share;
            for (int layer = 0; layer < subscription.Track.LayerCount; layer++)
            {
                SourceStream? stream = subscription.Track.Layers[layer];
                bool stalled = stream is null || now - stream.LastPacketTimestamp > LayerStallTicks;
                selector.SetLayerBitrate(layer, stalled ? 0 : stream!.BitsPerSecond);
            }

            _room.UpdateLayer(subscription, now);
        }
    }

    private void SendReceiverReports(ParticipantSession publish, long now, Span<byte> buffer)
    {
        Span<RtcpReportBlock> blocks = new RtcpReportBlock[31];
        int count = 0;
        foreach (PublishedTrack track in _tracksByMid.Values)
        {
            foreach (SourceStream? layer in track.Layers)
            {
                if (layer is { HasStarted: true } && count < blocks.Length)
                {
                    blocks[count++] = layer.BuildReportBlock(now);
                    layer.UpdateRate(now);
                }
            }
        }

        if (count == 0)
        {
            return;
        }

        int length = RtcpWriter.WriteReceiverReport(buffer, RtcpSsrc, blocks[..count]);
        if (length > 0)
        {
            _room.SendRtcp(publish, buffer, length);
        }
    }

    private bool TryLearnSsrc(ReadOnlySpan<byte> packet, in RtpHeader header, out SsrcRoute route)
    {
        route = default;
        if (_sources.Count >= 64 || !header.HasExtension)
        {
            return false;
        }

        RtpHeaderExtensionReader extensions = header.GetExtensions(packet);
        if (_extensions.Mid <= 0 || !extensions.TryFind(_extensions.Mid, out ReadOnlySpan<byte> mid)
            || !_tracksByMid.TryGetValue(System.Text.Encoding.ASCII.GetString(mid), out PublishedTrack? track))
        {
            return false;
        }

        bool isRtx = track.RtxPayloadTypes.ContainsKey(header.PayloadType);
        int layer = 0;
        if (track.Rids.Count > 0)
        {
            int ridId = isRtx ? _extensions.RepairedRid : _extensions.Rid;
            if (ridId <= 0 || !extensions.TryFind(ridId, out ReadOnlySpan<byte> rid) || (layer = track.LayerOfRid(rid)) < 0)
            {
                return false;
            }
        }

        if (isRtx)
        {
            if (track.Layers[layer] is not SourceStream repaired)
            {
                return false; // the media SSRC of that layer is learnt first
            }

            repaired.RtxSsrc = header.Ssrc;
            route = new SsrcRoute(repaired, IsRtx: true);
        }
        else
        {
            if (track.Layers[layer] is SourceStream previous)
            {
                _sources.Remove(previous.Ssrc); // the publisher restarted that layer with a new SSRC
            }

            var stream = new SourceStream(track, header.Ssrc, layer);
            track.Layers[layer] = stream;
            route = new SsrcRoute(stream, IsRtx: false);
        }

        _sources[header.Ssrc] = route;
        return true;
    }

    private void ApplyPublishedTracks(SessionDescription answer, SessionDescription offer, IReadOnlyDictionary<string, MediaTrackSource>? sourcesByMid)
    {
        var sending = answer.Media.Where(media => media.Port > 0 && media.Direction == SdpDirection.RecvOnly && media.Mid is not null).ToList();
        foreach (string mid in _tracksByMid.Keys.ToList())
        {
            if (!sending.Any(media => media.Mid == mid))
            {
                PublishedTrack ended = _tracksByMid[mid];
                _tracksByMid.Remove(mid);
                foreach (uint ssrc in _sources.Where(pair => pair.Value.Stream.Track == ended).Select(pair => pair.Key).ToList())
                {
                    _sources.Remove(ssrc);
                }

                _room.Unpublish(ended);
            }
        }

        foreach (MediaDescription media in sending)
        {
            if (_tracksByMid.ContainsKey(media.Mid!))
            {
                continue;
            }

            MediaTrackSource source = sourcesByMid?.TryGetValue(media.Mid!, out MediaTrackSource named) == true ? named
                : media.IsAudio ? MediaTrackSource.Microphone : MediaTrackSource.Camera;
            var track = new PublishedTrack(_room.NewTrackId(), this, media, source);
            _tracksByMid[media.Mid!] = track;
            RegisterDeclaredSsrcs(track, offer.FindByMid(media.Mid!));
            _room.PublishTrack(track);
        }
    }

    /// <summary>Without simulcast, browsers announce their SSRCs (and the RTX one in an FID group): no need to learn them.</summary>
    private void RegisterDeclaredSsrcs(PublishedTrack track, MediaDescription? offered)
    {
        if (offered is null || track.Rids.Count > 0 || offered.Ssrcs.Count == 0)
        {
            return;
        }

        SdpSsrcGroup? fid = offered.SsrcGroups.FirstOrDefault(group => group.Semantics == "FID" && group.Ssrcs.Count == 2);
        uint mediaSsrc = fid?.Ssrcs[0] ?? offered.Ssrcs[0].Ssrc;
        var stream = new SourceStream(track, mediaSsrc, 0);
        track.Layers[0] = stream;
        _sources[mediaSsrc] = new SsrcRoute(stream, IsRtx: false);
        if (fid is not null)
        {
            stream.RtxSsrc = fid.Ssrcs[1];
            _sources[fid.Ssrcs[1]] = new SsrcRoute(stream, IsRtx: true);
        }
    }

    private ParticipantSession CreateSession(RemoteTransportParameters? remote, bool isPublish)
    {
        ParticipantSession session = _transport.CreateSession(remote);
        if (isPublish)
        {
            session.RtpReceived = (_, packet) => OnPublisherRtp(packet);
            session.RtcpReceived = (_, packet) => OnPublisherRtcp(packet);
        }
        else
        {
            session.RtpReceived = (_, _) => _room.CountDrop("rtp-on-subscribe-connection");
            session.RtcpReceived = (_, packet) => OnSubscriberRtcp(packet);
        }

        session.Closed += closed => _room.OnSessionClosed(this, closed);
        _room.WatchHandshake(this, session);
        return session;
    }

    private void ClosePublish(string reason)
    {
        if (_publish is null)
        {
            return;
        }

        ParticipantSession old = _publish;
        _publish = null;
        foreach (PublishedTrack track in _tracksByMid.Values)
        {
            _room.Unpublish(track);
        }

        _tracksByMid.Clear();
        _sources.Clear();
        _transport.CloseSession(old, SessionCloseReason.Closed, reason);
    }

    private void MarkSubscriptionDirty()
    {
        _subscriptionDirty = true;
        if (!_offerPending)
        {
            _room.Raise(new MediaSubscriptionChanged(_room.Id, Id));
        }
    }

    private SubscriberTrack DescribeSubscription(Subscription subscription)
    {
        PublishedTrack track = subscription.Track;
        var codec = new SdpCodec(subscription.OutPayloadType, track.Codec.Name, track.Codec.ClockRate, track.Codec.Channels) { Fmtp = track.Codec.Fmtp };
        foreach ((string key, string value) in track.Codec.Parameters)
        {
            codec.Parameters[key] = value;
        }

        // No abs-send-time: with it Chromium runs its receive-side estimator and sends REMB capped near what it
        // already receives, which pins a subscriber to the lowest layer. The loss-based estimate starts high instead.
        var extensions = new List<SdpHeaderExtension> { new(SubscriberPacketWriter.MidId, RtpExtensionUris.Mid) };
        if (track.IsAudio)
        {
            extensions.Add(new SdpHeaderExtension(SubscriberPacketWriter.AudioLevelId, RtpExtensionUris.AudioLevel));
        }
        else
        {
            codec.Feedback.AddRange(["ccm fir", "nack", "nack pli"]);
        }

        return new SubscriberTrack(
            subscription.Mid, track.Kind, [codec], extensions, subscription.OutSsrc, null, "sfu-" + track.Publisher.Id,
            track.Publisher.Id, track.TrackId, Active: !subscription.Ended);
    }

    /// <summary>One payload type per codec on every subscribe connection (a BUNDLE group must not map one type to two codecs).</summary>
    private static byte OutPayloadType(PublishedTrack track) => track.Codec.Name.ToUpperInvariant() switch
    {
        "OPUS" => 111,
        "VP8" => 96,
        "VP9" => 98,
        "H264" => 102,
        "AV1" => 45,
        _ => (byte)track.Codec.PayloadType,
    };

    private static MediaConnectionState StateOf(ParticipantSession? session) => session switch
    {
        null => MediaConnectionState.New,
        { IsClosed: true, CloseReason: SessionCloseReason.Closed } => MediaConnectionState.Closed,
        { IsClosed: true } => MediaConnectionState.Failed,
        { IsSecure: true } => MediaConnectionState.Connected,
        _ => MediaConnectionState.Connecting,
    };

    private readonly record struct SsrcRoute(SourceStream Stream, bool IsRtx);
}

/// <summary>The header extension ids a publisher's connection negotiated (0: not negotiated).</summary>
internal readonly record struct PublisherExtensionIds(int Mid, int Rid, int RepairedRid, int TransportCc, int AudioLevel)
{
    public static PublisherExtensionIds From(SessionDescription answer)
    {
        int Find(string uri) => answer.Media.SelectMany(media => media.HeaderExtensions).FirstOrDefault(extension => extension.Uri == uri)?.Id ?? 0;
        return new PublisherExtensionIds(
            Find(RtpExtensionUris.Mid), Find(RtpExtensionUris.Rid), Find(RtpExtensionUris.RepairedRid),
            Find(RtpExtensionUris.TransportWideCc), Find(RtpExtensionUris.AudioLevel));
    }
}
