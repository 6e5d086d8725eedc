using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Suite.Meetings.Media.Forwarding;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Rooms;

/// <summary>
/// A room's routing: who publishes which track, who receives it on which layer. One lock per room guards all of it,
/// so rooms never contend with each other; events leave through an ordered queue drained off the packet path.
/// </summary>
internal sealed class MediaRoom : IMediaRoom
{
    private const int SendBufferLength = 2048;

    private readonly MediaServer _server;
    private readonly UdpMediaTransport _transport;
    private readonly Dictionary<string, MediaParticipant> _participants = new(StringComparer.Ordinal);
    private readonly List<PublishedTrack> _tracks = [];
    private readonly ActiveSpeakerDetector _speakers = new();
    private readonly byte[] _sendBuffer = new byte[SendBufferLength];
    private readonly byte[] _scratch = new byte[SendBufferLength];
    private readonly DatagramBatch _sendBatch = new();
    private readonly ConcurrentQueue<MediaRoomEvent> _events = new();
    private readonly int _maxParticipants;
    private int _draining;
    private int _trackCounter;

    public MediaRoom(MediaServer server, UdpMediaTransport transport, string id, int maxParticipants)
    {
        _server = server;
        _transport = transport;
        Id = id;
        _maxParticipants = maxParticipants;
        _speakers.SpeakerChanged += speaker => Raise(new MediaSpeakerChanged(Id, speaker));
    }

    public string Id { get; }

    internal object Gate { get; } = new();

    internal MediaCounters Counters { get; } = new();

    public bool IsClosed { get; private set; }

    public event Action<MediaRoomEvent>? EventRaised;

    public IReadOnlyCollection<IMediaParticipant> Participants
    {
        get
        {
            lock (Gate)
            {
                return _participants.Values.ToList();
            }
        }
    }

    public IReadOnlyList<MediaTrackInfo> Tracks
    {
        get
        {
            lock (Gate)
            {
                return _tracks.Select(track => track.Describe()).ToList();
            }
        }
    }

    public MediaMetrics Metrics => Counters.Snapshot();

    public IMediaParticipant Join(string participantId)
    {
        ValidateId(participantId);
        lock (Gate)
        {
            if (IsClosed)
            {
                throw new InvalidOperationException("The room is closed.");
            }

            if (_participants.TryGetValue(participantId, out MediaParticipant? previous))
            {
                RemoveLocked(previous, "rejoined", failed: false);
            }
            else if (_participants.Count >= _maxParticipants)
            {
                throw new InvalidOperationException($"The room already has {_maxParticipants} participants.");
            }

            var participant = new MediaParticipant(this, _transport, participantId);
            _participants[participantId] = participant;
            foreach (PublishedTrack track in _tracks)
            {
                participant.Subscribe(track);
            }

            return participant;
        }
    }

    public IMediaParticipant? Find(string participantId)
    {
        lock (Gate)
        {
            return _participants.GetValueOrDefault(participantId);
        }
    }

    public void Remove(string participantId, string reason)
    {
        lock (Gate)
        {
            if (_participants.TryGetValue(participantId, out MediaParticipant? participant))
            {
                RemoveLocked(participant, reason, failed: false);
            }
        }
    }

    public bool SetTrackEnabled(string trackId, bool enabled)
    {
        lock (Gate)
        {
            PublishedTrack? track = _tracks.Find(candidate => candidate.TrackId == trackId);
            if (track is null)
            {
                return false;
            }

            if (track.Enabled != enabled)
            {
                track.Enabled = enabled;
                if (enabled)
                {
                    long now = Stopwatch.GetTimestamp();
                    foreach (Subscription subscription in track.Subscriptions)
                    {
                        RequestKeyframeFor(subscription, now);
                    }
                }
            }

            return true;
        }
    }

    public void Close()
    {
        lock (Gate)
        {
            if (IsClosed)
            {
                return;
            }

            IsClosed = true;
            foreach (MediaParticipant participant in _participants.Values.ToList())
            {
                RemoveLocked(participant, "room closed", failed: false);
            }
        }

        _server.Forget(this);
    }

    internal string NewTrackId() => $"t{Interlocked.Increment(ref _trackCounter)}{RandomNumberGenerator.GetHexString(8, lowercase: true)}";

    /// <summary>Queues an event; delivered in order on the thread pool, never on the packet path.</summary>
    internal void Raise(MediaRoomEvent roomEvent)
    {
        _events.Enqueue(roomEvent);
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static room => room.DrainEvents(), this, preferLocal: false);
        }
    }

    internal void PublishTrack(PublishedTrack track)
    {
        _tracks.Add(track);
        foreach (MediaParticipant participant in _participants.Values)
        {
            if (participant != track.Publisher)
            {
                participant.Subscribe(track);
            }
        }

        Raise(new MediaTrackPublished(Id, track.Describe()));
    }

    internal void Unpublish(PublishedTrack track)
    {
        if (!_tracks.Remove(track))
        {
            return;
        }

        foreach (MediaParticipant participant in _participants.Values)
        {
            participant.Unsubscribe(track);
        }

        track.Subscriptions.Clear();
        Raise(new MediaTrackUnpublished(Id, track.Describe()));
    }

    /// <summary>A packet of a publisher's source stream, original or repaired (room lock held).</summary>
    internal void OnMedia(SourceStream stream, ReadOnlySpan<byte> packet, in RtpHeader header, int audioLevel, long now, bool retransmission)
    {
        PublishedTrack track = stream.Track;
        stream.OnPacket(header, packet.Length, now, track.Codec.ClockRate, retransmission);
        stream.Cache?.Store(header.SequenceNumber, packet);
        if (audioLevel >= 0)
        {
            _speakers.OnAudioLevel(track.Publisher.Id, audioLevel & 0x7F, (audioLevel & 0x80) != 0);
        }

        if (!track.Enabled || track.Subscriptions.Count == 0 || header.PayloadLength == 0)
        {
            return; // muted by a moderator, nobody listening, or padding only
        }

        bool keyframe = track.VideoCodec != VideoCodecKind.None
            && KeyframeDetector.IsKeyframeStart(track.VideoCodec, packet.Slice(header.PayloadOffset, header.PayloadLength));
        try
        {
            foreach (Subscription subscription in track.Subscriptions)
            {
                if (!subscription.Negotiated || subscription.Ended || subscription.Subscriber.SubscribeSession is not { IsSecure: true } session)
                {
                    continue;
                }

                bool newEpoch = false;
                if (subscription.Selector is { } selector)
                {
                    bool unknownCodec = track.VideoCodec == VideoCodecKind.Other;
                    if (!selector.Accept(stream.Layer, keyframe || unknownCodec, out newEpoch))
                    {
                        continue;
                    }
                }

                // Written straight into the send batch: each subscriber's copy is encrypted with its own keys in place.
                Span<byte> slot = _sendBatch.NextSlot;
                int length = SubscriberPacketWriter.Write(slot, packet, header, subscription.MidBytes, audioLevel, out RtpHeader outHeader);
                if (length == 0)
                {
                    Counters.Drop("too-large");
                    continue;
                }

                if (!subscription.Rewriter.Rewrite(slot[..length], outHeader, newEpoch, now))
                {
                    continue;
                }

                subscription.PacketsSent++;
                subscription.OctetsSent += outHeader.PayloadLength;
                subscription.BytesThisSecond += length;
                if (_transport.TryAddRtp(_sendBatch, session, length, tag: length) && _sendBatch.IsFull)
                {
                    SendBatch();
                }
            }
        }
        finally
        {
            SendBatch();
        }
    }

    /// <summary>Hands the batched packets to the kernel and counts those that went (room lock held).</summary>
    private void SendBatch()
    {
        if (_sendBatch.Count == 0)
        {
            return;
        }

        _transport.Send(_sendBatch);
        int packets = 0;
        long bytes = 0;
        for (int i = 0; i < _sendBatch.Count; i++)
        {
            if (_sendBatch.WasSent(i))
            {
                packets++;
                bytes += _sendBatch.Tag(i);
            }
        }

        _sendBatch.Clear();
        if (packets > 0)
        {
            Counters.Out(packets, bytes);
        }
    }

    /// <summary>An RTX packet from a publisher (RFC 4588): restores the original and treats it as a late arrival.</summary>
    internal void OnRetransmission(SourceStream stream, ReadOnlySpan<byte> packet, in RtpHeader header, long now)
    {
        if (header.PayloadLength < 2)
        {
            return; // padding for bandwidth probing
        }

        int payloadType = stream.Track.RtxPayloadTypes.GetValueOrDefault(header.PayloadType, -1);
        if (payloadType < 0 || packet.Length > _scratch.Length)
        {
            Counters.Drop("rtx-unknown");
            return;
        }

        ReadOnlySpan<byte> payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        ushort originalSequence = (ushort)((payload[0] << 8) | payload[1]);
        Span<byte> original = _scratch;
        packet[..header.HeaderLength].CopyTo(original);
        original[0] &= 0xDF; // no padding in the restored packet
        payload[2..].CopyTo(original[header.HeaderLength..]);
        int length = header.HeaderLength + payload.Length - 2;
        RtpHeaderWriter.SetSsrc(original, stream.Ssrc);
        RtpHeaderWriter.SetSequenceNumber(original, originalSequence);
        RtpHeaderWriter.SetPayloadType(original, (byte)payloadType);
        if (RtpHeader.TryParse(original[..length], out RtpHeader restored, out _))
        {
            OnMedia(stream, original[..length], restored, -1, now, retransmission: true);
        }
    }

    /// <summary>Answers a subscriber's NACK from the packet cache of the source behind each lost number (room lock held).</summary>
    internal void Retransmit(Subscription subscription, ReadOnlySpan<ushort> lost)
    {
        if (subscription.Subscriber.SubscribeSession is not { IsSecure: true } session)
        {
            return;
        }

        foreach (ushort sequence in lost)
        {
            if (!subscription.Rewriter.TryMapBack(sequence, out uint sourceSsrc, out ushort sourceSequence)
                || subscription.Track.FindLayer(sourceSsrc) is not { Cache: { } cache }
                || !cache.TryCopy(sourceSequence, _scratch, out int cachedLength)
                || !RtpHeader.TryParse(_scratch.AsSpan(0, cachedLength), out RtpHeader cachedHeader, out _))
            {
                Counters.Drop("nack-miss");
                continue;
            }

            int length = SubscriberPacketWriter.Write(_sendBuffer, _scratch.AsSpan(0, cachedLength), cachedHeader, subscription.MidBytes, -1, out RtpHeader outHeader);
            if (length == 0
                || !subscription.Rewriter.RewriteRetransmission(_sendBuffer.AsSpan(0, length), outHeader))
            {
                Counters.Drop("nack-miss");
                continue;
            }

            if (_transport.SendRtp(session, _sendBuffer, length))
            {
                Counters.Out(length);
                Counters.NackServed();
            }
        }
    }

    /// <summary>Asks the publisher for a keyframe of the layer this subscription needs (at most every 300 ms per layer).</summary>
    internal void RequestKeyframeFor(Subscription subscription, long now)
    {
        if (subscription.Selector is not { } selector)
        {
            return;
        }

        int layer = selector.CurrentLayer >= 0 && selector.CurrentLayer == selector.TargetLayer ? selector.CurrentLayer : selector.TargetLayer;
        RequestKeyframe(subscription.Track, Math.Clamp(layer, 0, subscription.Track.LayerCount - 1), now);
    }

    internal void UpdateLayer(Subscription subscription, long now)
    {
        if (subscription.Selector is { } selector && !subscription.Ended && subscription.Negotiated)
        {
            int wanted = selector.Update(now);
            if (wanted >= 0)
            {
                RequestKeyframe(subscription.Track, wanted, now);
            }
        }
    }

    /// <summary>Re-sends a publisher's sender report to every subscriber on that source, in the subscriber's numbering and our clock.</summary>
    internal void ForwardSenderReport(SourceStream stream, uint sourceRtpTimestamp, long now)
    {
        ulong ntp = NtpClock.At(now);
        foreach (Subscription subscription in stream.Track.Subscriptions)
        {
            if (!subscription.Negotiated || subscription.Ended || subscription.Subscriber.SubscribeSession is not { IsSecure: true } session
                || !subscription.Rewriter.TryMapTimestamp(stream.Ssrc, sourceRtpTimestamp, out uint rtpTimestamp))
            {
                continue;
            }

            int length = RtcpWriter.WriteSenderReport(
                _sendBuffer, subscription.OutSsrc, ntp, rtpTimestamp, (uint)subscription.PacketsSent, (uint)subscription.OctetsSent, []);
            if (length > 0)
            {
                SendRtcp(session, _sendBuffer, length);
            }
        }
    }

    internal void SendRtcp(ParticipantSession session, Span<byte> buffer, int length)
    {
        if (buffer.Length < length + 32)
        {
            buffer[..length].CopyTo(_scratch);
            buffer = _scratch;
        }

        if (_transport.SendRtcp(session, buffer, length))
        {
            Counters.Out(length);
        }
    }

    /// <summary>Periodic work, called by the server's timer every 50 ms.</summary>
    internal void Tick(long now, bool everySecond, bool speakerInterval)
    {
        lock (Gate)
        {
            foreach (MediaParticipant participant in _participants.Values)
            {
                participant.Tick(now, everySecond, _sendBuffer);
            }
        }

        if (speakerInterval)
        {
            _speakers.Evaluate();
        }
    }

    internal void WatchHandshake(MediaParticipant participant, ParticipantSession session)
    {
        // Connected once the first connection of the participant is keyed.
        _ = Task.Run(async () =>
        {
            for (int i = 0; i < 600 && !session.IsClosed; i++)
            {
                if (session.IsSecure)
                {
                    if (session == participant.PublishSession || participant.PublishSession is null)
                    {
                        Raise(new MediaParticipantConnected(Id, participant.Id));
                    }

                    if (session == participant.SubscribeSession)
                    {
                        lock (Gate)
                        {
                            long now = Stopwatch.GetTimestamp();
                            foreach (Subscription subscription in participant.Subscriptions)
                            {
                                RequestKeyframeFor(subscription, now);
                            }
                        }
                    }

                    return;
                }

                await Task.Delay(50).ConfigureAwait(false);
            }
        });
    }

    internal void OnSessionClosed(MediaParticipant participant, ParticipantSession session)
    {
        if (session.CloseReason is SessionCloseReason.Closed or null)
        {
            return; // we closed it ourselves
        }

        string reason = $"{session.CloseReason}: {session.CloseDetail}";
        // Off the closing thread: it may hold the transport's or the session's locks.
        ThreadPool.QueueUserWorkItem(_ =>
        {
            lock (Gate)
            {
                if (_participants.TryGetValue(participant.Id, out MediaParticipant? current) && current == participant)
                {
                    RemoveLocked(participant, reason, failed: true);
                }
            }
        });
    }

    internal void CountIn(int length) => Counters.In(length);

    internal void CountDrop(string reason) => Counters.Drop(reason);

    private void RequestKeyframe(PublishedTrack track, int layer, long now)
    {
        if (track.Layers[layer] is not { } stream || track.Publisher.PublishSession is not { IsSecure: true } publish)
        {
            return;
        }

        if (stream.LastKeyframeRequest != 0 && Stopwatch.GetElapsedTime(stream.LastKeyframeRequest, now) < TimeSpan.FromMilliseconds(300))
        {
            return;
        }

        stream.LastKeyframeRequest = now;
        Span<byte> buffer = stackalloc byte[64];
        int length = RtcpWriter.WritePictureLossIndication(buffer, track.Publisher.RtcpSsrc, stream.Ssrc);
        if (length > 0 && _transport.SendRtcp(publish, buffer, length))
        {
            Counters.KeyframeRequested();
            Counters.Out(length);
        }
    }

    private void RemoveLocked(MediaParticipant participant, string reason, bool failed)
    {
        _participants.Remove(participant.Id);
        foreach (PublishedTrack track in participant.Tracks.ToList())
        {
            Unpublish(track);
        }

        participant.Close(reason);
        _speakers.Remove(participant.Id);
        Raise(failed ? new MediaParticipantFailed(Id, participant.Id, reason) : new MediaParticipantLeft(Id, participant.Id, reason));
    }

    private void DrainEvents()
    {
        while (true)
        {
            while (_events.TryDequeue(out MediaRoomEvent? roomEvent))
            {
                try
                {
                    EventRaised?.Invoke(roomEvent);
                }
#pragma warning disable CA1031 // A faulty subscriber must not stop the delivery of the next events.
                catch (Exception)
#pragma warning restore CA1031
                {
                    Counters.Drop("event-handler-failed");
                }
            }

            Volatile.Write(ref _draining, 0);
            if (_events.IsEmpty || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    private static void ValidateId(string participantId)
    {
        if (string.IsNullOrEmpty(participantId) || participantId.Length > 64
            || !participantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException("A participant id is 1–64 letters, digits, '-', '_' or '.'.", nameof(participantId));
        }
    }
}
