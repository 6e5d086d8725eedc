using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Suite.Meetings.Media.Rooms;
using Xunit.Abstractions;

namespace Suite.Meetings.Media.Tests.RealPeer;

/// <summary>
/// Two real browsers through the room router: one Chromium publishes camera (720p, three simulcast layers) and
/// microphone, another Chromium subscribes. What the subscriber's getStats reports is what a user would see.
/// </summary>
[Collection(RealPeerCollection.Name)]
public sealed class ChromiumRoomTests(ITestOutputHelper output)
{
    private const string PublisherPage = """
        <!doctype html><meta charset="utf-8"><title>publish</title>
        <script>
        (async () => {
          const report = (what, body) => fetch('/' + what, { method: 'POST', body });
          try {
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 1280, height: 720, frameRate: 15 } });
            const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
            pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
            pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream],
              sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }] });
            // Under CPU pressure keep the resolutions (and drop frames): the test is about the top layer reaching the subscriber.
            const video = pc.getSenders()[1];
            const parameters = video.getParameters();
            parameters.degradationPreference = 'maintain-resolution';
            await video.setParameters(parameters);
            pc.onconnectionstatechange = () => report('state', pc.connectionState);
            await pc.setLocalDescription(await pc.createOffer());
            const answer = await fetch('/publish', { method: 'POST', body: pc.localDescription.sdp });
            if (!answer.ok) { await report('error', 'no answer'); return; }
            await pc.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
          } catch (e) {
            await report('error', String(e && e.stack || e));
          }
        })();
        </script>
        """;

    private const string SubscriberPage = """
        <!doctype html><meta charset="utf-8"><title>subscribe</title><body>
        <script>
        const report = (what, body) => fetch('/' + what, { method: 'POST', body });
        const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
        pc.onconnectionstatechange = () => report('state', pc.connectionState);
        pc.ontrack = (event) => {
          const element = document.createElement(event.track.kind);
          element.autoplay = true; element.muted = true; element.playsInline = true;
          element.srcObject = new MediaStream([event.track]);
          document.body.appendChild(element);
          element.play().catch(() => {});
        };
        let busy = false;
        setInterval(async () => {
          if (busy) return;
          busy = true;
          try {
            const offer = await (await fetch('/offer', { method: 'POST', body: '' })).text();
            if (offer) {
              await pc.setRemoteDescription({ type: 'offer', sdp: offer });
              await pc.setLocalDescription(await pc.createAnswer());
              await fetch('/answer', { method: 'POST', body: pc.localDescription.sdp });
            }
          } catch (e) { await report('error', String(e && e.stack || e)); }
          busy = false;
        }, 200);
        setInterval(async () => {
          const v = { framesDecoded: 0, frameWidth: 0, freezeCount: 0, nackCount: 0, videoPacketsLost: 0, audioPackets: 0 };
          (await pc.getStats()).forEach(s => {
            if (s.type !== 'inbound-rtp') return;
            if (s.kind === 'video') {
              v.framesDecoded += s.framesDecoded || 0; v.frameWidth = Math.max(v.frameWidth, s.frameWidth || 0);
              v.freezeCount += s.freezeCount || 0; v.nackCount += s.nackCount || 0; v.videoPacketsLost += s.packetsLost || 0;
            } else if (s.kind === 'audio') {
              v.audioPackets += s.packetsReceived || 0;
            }
          });
          report('stats', JSON.stringify(v));
        }, 500);
        </script>
        """;

    [ChromiumFact]
    public async Task A_subscriber_decodes_the_publishers_video_and_audio_and_reaches_the_top_simulcast_layer()
    {
        using var call = new TwoBrowserCall(relayLoss: null);
        call.Start();

        SubscriberStats? stats = await call.WaitForAsync(
            s => s.FramesDecoded > 100 && s.AudioPackets > 100 && s.FrameWidth >= 1280, TimeSpan.FromSeconds(60));
        output.WriteLine(call.Describe());
        Assert.True(stats is not null, call.Describe());
        Assert.Contains(call.Events, e => e is MediaTrackPublished { Track.Kind: "video", Track.LayerCount: 3 });
        Assert.Contains(call.Events, e => e is MediaTrackPublished { Track.Kind: "audio" });
        Assert.Contains(call.Events, e => e is MediaParticipantConnected { ParticipantId: "sub" });
        Assert.Equal(0, call.Server.Metrics.DroppedByReason.GetValueOrDefault("transport-SrtpAuthenticationFailed"));
        Assert.Equal(0, call.Server.Metrics.DroppedByReason.GetValueOrDefault("transport-InternalError"));
        MediaParticipantStats subscriberStats = call.Room.Find("sub")!.GetStats();
        Assert.Contains(subscriberStats.LayersByTrack.Values, layer => layer == 2);
        Assert.True(subscriberStats.SentBitsPerSecond > 100_000, subscriberStats.ToString());
        Assert.NotNull(subscriberStats.RoundTripMilliseconds); // our sender reports came back in its receiver reports
        Assert.True(call.Room.Find("pub")!.GetStats().ReceivedBitsPerSecond > 100_000);
        // The fake microphone beeps: the publisher becomes the dominant speaker.
        Assert.Contains(call.Events, e => e is MediaSpeakerChanged { ParticipantId: "pub" });
    }

    [ChromiumFact]
    public async Task Through_a_relay_dropping_three_percent_of_media_video_keeps_decoding_with_retransmissions()
    {
        using var call = new TwoBrowserCall(relayLoss: 0.03);
        call.Start();

        SubscriberStats? first = await call.WaitForAsync(s => s.FramesDecoded > 60, TimeSpan.FromSeconds(60));
        Assert.True(first is not null, call.Describe());
        await Task.Delay(TimeSpan.FromSeconds(15));
        SubscriberStats last = call.Latest!;
        output.WriteLine($"first {first}, last {last}; {call.Describe()}");

        // About 15 fps for 15 s; a frozen stream would decode almost nothing.
        Assert.True(last.FramesDecoded - first.FramesDecoded > 120, call.Describe());
        Assert.True(last.FreezeCount - first.FreezeCount <= 3, call.Describe());
        Assert.True(call.Relay!.Dropped > 50, call.Describe());
        Assert.True(call.Server.Metrics.NacksServed > 0, call.Describe());
        Assert.True(last.NackCount > 0, call.Describe());
    }

    internal sealed record SubscriberStats(long FramesDecoded, long FrameWidth, long FreezeCount, long NackCount, long VideoPacketsLost, long AudioPackets);

    /// <summary>An SFU with a room, a publishing and a subscribing Chromium, and optionally a lossy relay in between.</summary>
    private sealed class TwoBrowserCall : IDisposable
    {
        private readonly ConcurrentQueue<string> _log = new();
        private HeadlessChromium? _publisher;
        private HeadlessChromium? _subscriber;

        public TwoBrowserCall(double? relayLoss)
        {
            Server = MediaServer.Start(new MediaServerOptions { BindAddress = IPAddress.Loopback, Port = 0 });
            Room = Server.OpenRoom("room-1");
            Room.EventRaised += e => Events.Enqueue(e);
            if (relayLoss is double loss)
            {
                Relay = new LossyUdpRelay(Server.LocalEndPoint, loss);
            }
        }

        public MediaServer Server { get; }

        public IMediaRoom Room { get; }

        public LossyUdpRelay? Relay { get; }

        public ConcurrentQueue<MediaRoomEvent> Events { get; } = new();

        public SubscriberStats? Latest { get; private set; }

        public void Start()
        {
            IMediaParticipant publisher = Room.Join("pub");
            IMediaParticipant subscriber = Room.Join("sub");
            _publisher = new HeadlessChromium(PublisherPage, async (path, body) =>
            {
                await Task.Yield();
                switch (path)
                {
                    case "/publish":
                        MediaNegotiation answer = publisher.Publish(body);
                        _log.Enqueue(answer.Succeeded ? "published" : "publish failed: " + answer.Error);
                        return answer.Succeeded ? ThroughRelay(answer.Sdp!) : null;
                    default:
                        _log.Enqueue($"publisher {path}: {body}");
                        return "";
                }
            });
            _subscriber = new HeadlessChromium(SubscriberPage, async (path, body) =>
            {
                await Task.Yield();
                switch (path)
                {
                    case "/offer":
                        string? offer = subscriber.TakeSubscriberOffer();
                        return offer is null ? "" : ThroughRelay(offer);
                    case "/answer":
                        MediaNegotiation accepted = subscriber.AcceptSubscriberAnswer(body);
                        _log.Enqueue(accepted.Succeeded ? "subscriber answered" : "answer refused: " + accepted.Error);
                        return "";
                    case "/stats":
                        Latest = JsonSerializer.Deserialize<SubscriberStats>(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
                        return "";
                    default:
                        _log.Enqueue($"subscriber {path}: {body}");
                        return "";
                }
            });
            _publisher.Launch();
            _subscriber.Launch();
        }

        public async Task<SubscriberStats?> WaitForAsync(Func<SubscriberStats, bool> condition, TimeSpan timeout)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (Latest is { } stats && condition(stats))
                {
                    return stats;
                }

                await Task.Delay(250);
            }

            return null;
        }

        public string Describe()
        {
            MediaMetrics metrics = Server.Metrics;
            string drops = string.Join(", ", metrics.DroppedByReason.Select(pair => $"{pair.Key} {pair.Value}"));
            string layers = Room.Find("sub") is { } sub
                ? string.Join(", ", sub.GetStats().LayersByTrack.Values) + $", estimate {sub.GetStats().EstimatedSendBandwidth / 1000} kbps"
                : "-";
            string publisherStats = Room.Find("pub") is MediaParticipant pub
                ? string.Join(", ", pub.Tracks.SelectMany(track => track.Layers).Select(layer => layer is null ? "none" : $"layer {layer.Layer} {layer.BitsPerSecond / 1000} kbps"))
                : "-";
            return $"latest {Latest}; log [{string.Join(" | ", _log)}]; metrics in {metrics.PacketsIn} out {metrics.PacketsOut} " +
                $"nacks {metrics.NacksServed} plis {metrics.KeyframeRequests} handshakes {metrics.HandshakesSucceeded}/{metrics.HandshakesFailed}; " +
                $"drops [{drops}]; subscriber layers [{layers}]; publisher sends [{publisherStats}]; relay dropped {Relay?.Dropped} of {Relay?.Relayed}";
        }

        public void Dispose()
        {
            _publisher?.Dispose();
            _subscriber?.Dispose();
            Relay?.Dispose();
            Server.Dispose();
        }

        private string ThroughRelay(string sdp) =>
            Relay is null ? sdp : sdp.Replace($" {Server.LocalEndPoint.Port} typ host", $" {Relay.Port} typ host", StringComparison.Ordinal);
    }
}
