using System.Net;
using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Tests.Sdp;
using Xunit.Abstractions;

namespace Suite.Meetings.Media.Tests.Rooms;

/// <summary>
/// Hostile or broken packets from an authenticated peer (SRTP protects against strangers, not against a buggy or
/// malicious participant): 120,000 mutated RTP and RTCP packets straight into the router's handlers. Nothing may
/// throw, memory stays bounded, and the room keeps working afterwards.
/// </summary>
public sealed class RouterFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 120_000;

    [Fact]
    public void Mutated_rtp_and_rtcp_from_participants_never_throw_and_never_grow_memory()
    {
        using MediaServer server = MediaServer.Start(new MediaServerOptions { BindAddress = IPAddress.Loopback, Port = 0 });
        IMediaRoom room = server.OpenRoom("fuzz");
        var alice = (MediaParticipant)room.Join("alice");
        var bob = (MediaParticipant)room.Join("bob");
        Assert.True(alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast)).Succeeded);
        Assert.True(bob.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(bob.TakeSubscriberOffer()!)).Succeeded);
        uint subscribedSsrc = bob.Subscriptions[0].OutSsrc;

        int seed = Environment.GetEnvironmentVariable("SUITE_MEDIA_FUZZ_SEED") is { } configured && int.TryParse(configured, out int parsed) ? parsed : 20261123;
        output.WriteLine($"SUITE_MEDIA_FUZZ_SEED={seed}");
        var random = new Random(seed);
        List<byte[]> seeds = [.. RtpSeeds(), .. RtcpSeeds(subscribedSsrc)];
        var buffer = new byte[1600];

        Run(2_000);
        GC.Collect();
        long before = GC.GetTotalMemory(forceFullCollection: true);
        Run(Iterations);
        long grown = GC.GetTotalMemory(forceFullCollection: true) - before;

        MediaMetrics metrics = room.Metrics;
        output.WriteLine($"grown {grown} bytes; in {metrics.PacketsIn}; drops {string.Join(", ", metrics.DroppedByReason)}");
        Assert.True(grown < 8 * 1024 * 1024, $"memory grew by {grown} bytes");
        Assert.True(metrics.PacketsIn > Iterations / 2, "the valid paths were not exercised");
        Assert.True(metrics.DroppedByReason.Values.Sum() > 0);
        Assert.Equal(2, room.Tracks.Count); // the room still holds its tracks
        Assert.True(alice.Publish(SdpFixtures.Load(SdpFixtures.ChromiumSimulcast)).Succeeded); // and still negotiates

        void Run(int count)
        {
            for (int i = 0; i < count; i++)
            {
                byte[] template = seeds[random.Next(seeds.Count)];
                int length = Mutate(random, template, buffer);
                ReadOnlySpan<byte> packet = buffer.AsSpan(0, length);
                switch (random.Next(3))
                {
                    case 0:
                        alice.OnPublisherRtp(packet);
                        break;
                    case 1:
                        alice.OnPublisherRtcp(packet);
                        break;
                    default:
                        bob.OnSubscriberRtcp(packet);
                        break;
                }
            }
        }
    }

    private static int Mutate(Random random, byte[] template, byte[] buffer)
    {
        int length = template.Length;
        template.CopyTo(buffer, 0);
        switch (random.Next(6))
        {
            case 0:
                break; // intact: the valid path
            case 1:
                for (int flips = random.Next(1, 6); flips > 0; flips--)
                {
                    int bit = random.Next(length * 8);
                    buffer[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                break;
            case 2:
                length = random.Next(0, length);
                break;
            case 3:
                buffer[random.Next(length)] = (byte)random.Next(256);
                buffer[random.Next(length)] = 0xFF;
                break;
            case 4:
                // A fresh SSRC, sequence number or timestamp: floods of new sources must stay bounded.
                if (length >= 12)
                {
                    random.NextBytes(buffer.AsSpan(2, 10));
                }

                break;
            default:
                length = random.Next(1, 200);
                random.NextBytes(buffer.AsSpan(0, length));
                break;
        }

        return length;
    }

    private static IEnumerable<byte[]> RtpSeeds()
    {
        // Chromium's ids in the fixture: audio-level 1, transport-cc 3, mid 4, rid 10, repaired-rid 11.
        yield return Rtp(111, 1, ("0", 4), (null, 0), level: 0x90);
        foreach ((string rid, uint ssrc) in new[] { ("q", 1001u), ("h", 1002u), ("f", 1003u) })
        {
            yield return Rtp(96, ssrc, ("1", 4), (rid, 10), vp8Keyframe: true);
            yield return Rtp(96, ssrc, ("1", 4), (rid, 10), vp8Keyframe: false);
            yield return Rtp(97, ssrc + 100, ("1", 4), (rid, 11), rtxOf: 500);
        }
    }

    private static byte[] Rtp(byte payloadType, uint ssrc, (string Mid, int Id) mid, (string? Rid, int Id) rid, int level = -1, bool vp8Keyframe = false, int rtxOf = -1)
    {
        var packet = new byte[200];
        RtpHeaderWriter.WriteFixedHeader(packet, true, payloadType, 500, 90000, ssrc, hasExtension: true);
        var writer = new RtpHeaderExtensionWriter(packet.AsSpan(12), false);
        writer.Add(mid.Id, System.Text.Encoding.ASCII.GetBytes(mid.Mid));
        writer.Add(3, [0x00, 0x07]);
        if (rid.Rid is not null)
        {
            writer.Add(rid.Id, System.Text.Encoding.ASCII.GetBytes(rid.Rid));
        }

        if (level >= 0)
        {
            writer.Add(1, [(byte)level]);
        }

        writer.TryComplete(out int block);
        int offset = 12 + block;
        if (rtxOf >= 0)
        {
            packet[offset++] = (byte)(rtxOf >> 8);
            packet[offset++] = (byte)rtxOf;
        }

        // VP8 descriptor with a 15-bit picture id, then a key or delta frame header.
        byte[] vp8 = [0x90, 0x80, 0x81, 0x23, (byte)(vp8Keyframe ? 0x10 : 0x11), 0x02, 0x00, 0x9D, 0x01, 0x2A];
        vp8.CopyTo(packet, offset);
        return packet[..(offset + vp8.Length + 40)];
    }

    private static IEnumerable<byte[]> RtcpSeeds(uint subscribedSsrc)
    {
        var buffer = new byte[512];
        int n = RtcpWriter.WriteSenderReport(buffer, 1001, 0x1234567812345678, 90000, 10, 1000, []);
        yield return buffer[..n];
        n = RtcpWriter.WriteReceiverReport(buffer, 7, [new RtcpReportBlock(subscribedSsrc, 12, 3, 1000, 5, 0x12345678, 100)]);
        yield return buffer[..n];
        n = RtcpWriter.WriteNack(buffer, 7, subscribedSsrc, [1, 2, 3, 40]);
        yield return buffer[..n];
        n = RtcpWriter.WritePictureLossIndication(buffer, 7, subscribedSsrc);
        yield return buffer[..n];
        n = RtcpWriter.WriteFullIntraRequest(buffer, 7, subscribedSsrc, 3);
        yield return buffer[..n];
        n = RtcpWriter.WriteRemb(buffer, 7, 500_000, [subscribedSsrc]);
        yield return buffer[..n];
        n = TransportCcFeedback.Write(buffer, 7, subscribedSsrc, 10, 0, [1000, -1, 1500, 2000]);
        yield return buffer[..n];
    }
}
