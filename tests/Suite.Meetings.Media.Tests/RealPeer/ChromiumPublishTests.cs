using System.Collections.Concurrent;
using System.Net;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Transport;
using Xunit.Abstractions;

namespace Suite.Meetings.Media.Tests.RealPeer;

[Collection(RealPeerCollection.Name)]
public sealed class ChromiumPublishTests(ITestOutputHelper output)
{
    private const string PublisherPage = """
        <!doctype html><meta charset="utf-8"><title>publish</title>
        <script>
        (async () => {
          const report = (what, body) => fetch('/' + what, { method: 'POST', body });
          try {
            const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: { width: 640, height: 360 } });
            const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
            pc.addTransceiver(stream.getAudioTracks()[0], { direction: 'sendonly', streams: [stream] });
            pc.addTransceiver(stream.getVideoTracks()[0], { direction: 'sendonly', streams: [stream],
              sendEncodings: [{ rid: 'q', scaleResolutionDownBy: 4 }, { rid: 'h', scaleResolutionDownBy: 2 }, { rid: 'f' }] });
            pc.onconnectionstatechange = () => report('state', pc.connectionState);
            await pc.setLocalDescription(await pc.createOffer());
            const answer = await fetch('/offer', { method: 'POST', body: pc.localDescription.sdp });
            if (!answer.ok) { await report('error', 'no answer'); return; }
            await pc.setRemoteDescription({ type: 'answer', sdp: await answer.text() });
          } catch (e) {
            await report('error', String(e && e.stack || e));
          }
        })();
        </script>
        """;

    [ChromiumFact]
    public async Task Chromium_publishing_camera_and_microphone_gets_through_ice_lite_dtls_and_srtp()
    {
        using var transport = new UdpMediaTransport(
            DtlsCertificate.CreateSelfSigned("chromium-test"),
            new MediaTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0) });
        transport.Start();
        var packetsBySsrc = new ConcurrentDictionary<uint, int>();
        var states = new ConcurrentQueue<string>();
        ParticipantSession? session = null;

        async Task<string?> Handle(string path, string body)
        {
            await Task.Yield();
            switch (path)
            {
                case "/offer":
                    SessionDescription offer = SdpParser.Parse(body);
                    if (!RemoteTransportParameters.TryRead(offer, out RemoteTransportParameters? remote, out string error))
                    {
                        states.Enqueue("bad offer: " + error);
                        return null;
                    }

                    session = transport.CreateSession(remote);
                    session.RtpReceived = (receiver, packet) =>
                    {
                        if (RtpHeader.TryParse(packet, out RtpHeader header, out _))
                        {
                            packetsBySsrc.AddOrUpdate(header.Ssrc, 1, (_, count) => count + 1);
                        }
                    };
                    SdpAnswerResult answer = SfuAnswerGenerator.CreateAnswer(offer, transport.DescribeLocal(session));
                    return answer.Succeeded ? answer.ToSdp() : null;
                case "/state" or "/error":
                    states.Enqueue($"{path.TrimStart('/')}: {body}");
                    return "";
                default:
                    return null;
            }
        }

        using var chromium = new HeadlessChromium(PublisherPage, Handle);
        chromium.Launch();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        bool flowing = SpinWait.SpinUntil(
            () => packetsBySsrc.Count >= 2 && packetsBySsrc.Values.Count(count => count >= 20) >= 2, TimeSpan.FromSeconds(45));

        string diagnostics = $"states [{string.Join(" | ", states)}], packets by SSRC [{string.Join(", ", packetsBySsrc)}], " +
            $"secure {session?.IsSecure}, closed {session?.CloseReason} {session?.CloseDetail}, stun answered {transport.Counters.StunAnswered}, " +
            $"dropped {string.Join(", ", Enum.GetValues<TransportDropReason>().Where(r => transport.Counters.Dropped(r) > 0).Select(r => $"{r} {transport.Counters.Dropped(r)}"))}";
        output.WriteLine($"after {clock.ElapsedMilliseconds} ms, profile {session?.SrtpProfile}: {diagnostics}");
        Assert.True(flowing, diagnostics);
        Assert.True(session!.IsSecure, diagnostics);
        Assert.Contains("state: connected", states);
        Assert.Equal(1, transport.Counters.HandshakesSucceeded);
        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.SrtpAuthenticationFailed));
        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.InternalError));
    }
}
