using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Suite.Meetings.Media;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Forwarding;
using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Srtp;

namespace Suite.Bench.SfuHotPath;

/// <summary>
/// Drives the SFU's forwarding path in process: one publisher (VP8 video + Opus audio) and N subscribers in one room of
/// a real <see cref="MediaServer"/>. DTLS is skipped (random SRTP keys are installed on each session and each session is
/// bound to its own loopback sink socket); everything after it is the production code: the publisher packet is
/// SRTP-unprotected by its session, routed by <c>MediaParticipant.OnPublisherRtp</c> / <c>MediaRoom.OnMedia</c>, and
/// written, rewritten, protected and sent to every subscriber through the one UDP socket. Reports the forwarding
/// thread's CPU time per forwarded packet, and the same work split by stage (rewrite, protect, send) measured on its own.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Options? options = Options.Parse(args);
        if (options is null)
        {
            Console.WriteLine("""
                Suite.Bench.SfuHotPath [--subs 100] [--packets 20000] [--runs 5] [--profile cm|gcm] [--video-bytes 1100]
                                       [--audio-every 4] [--mode full|stages|both]
                """);
            return 2;
        }

        Console.WriteLine($"subs={options.Subscribers} packets={options.Packets} runs={options.Runs} profile={options.Profile} " +
            $"video-bytes={options.VideoBytes} audio-every={options.AudioEvery} load={File.ReadAllText("/proc/loadavg").Trim()}");
        var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
        using var room = BenchRoom.Create(options);
        for (int run = 0; run <= options.Runs; run++)
        {
            bool warmup = run == 0;
            if (options.Mode is "full" or "both")
            {
                Record(results, "full", room.RunFull(options.Packets), warmup);
#if !BASELINE
                Record(results, "full-sendto", room.RunFull(options.Packets, batchSend: false), warmup);
#endif
            }

            if (options.Mode is "stages" or "both")
            {
                foreach ((string stage, double micros) in room.RunStages(options.Packets))
                {
                    Record(results, stage, micros, warmup);
                }
            }
        }

        Console.WriteLine($"median µs per forwarded packet over {options.Runs} runs (thread CPU time); load={File.ReadAllText("/proc/loadavg").Trim()}");
        foreach ((string name, List<double> values) in results)
        {
            values.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name,-14} {values[values.Count / 2],7:0.000}   (min {values[0]:0.000}, max {values[^1]:0.000})"));
        }

        return 0;
    }

    private static void Record(Dictionary<string, List<double>> results, string name, double micros, bool warmup)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(warmup ? "warmup " : "")}{name}: {micros:0.000} µs"));
        if (!warmup)
        {
            (results.TryGetValue(name, out List<double>? list) ? list : results[name] = []).Add(micros);
        }
    }
}

internal sealed record Options(int Subscribers, int Packets, int Runs, SrtpProfile Profile, int VideoBytes, int AudioEvery, string Mode)
{
    public static Options? Parse(string[] args)
    {
        var options = new Options(100, 20000, 5, SrtpProfile.AesCm128HmacSha1_80, 1100, 4, "both");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            options = args[i] switch
            {
                "--subs" => options with { Subscribers = int.Parse(value, CultureInfo.InvariantCulture) },
                "--packets" => options with { Packets = int.Parse(value, CultureInfo.InvariantCulture) },
                "--runs" => options with { Runs = int.Parse(value, CultureInfo.InvariantCulture) },
                "--profile" => options with { Profile = value == "gcm" ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1_80 },
                "--video-bytes" => options with { VideoBytes = int.Parse(value, CultureInfo.InvariantCulture) },
                "--audio-every" => options with { AudioEvery = int.Parse(value, CultureInfo.InvariantCulture) },
                "--mode" => options with { Mode = value },
                _ => null,
            };
            if (options is null)
            {
                return null;
            }
        }

        return args.Length % 2 == 0 ? options : null;
    }
}

internal sealed class BenchRoom : IDisposable
{
    private const uint AudioSsrc = 0x1111_1111;
    private const uint VideoSsrc = 0x2222_2222;

    private readonly Options _options;
    private readonly MediaServer _server;
    private readonly MediaRoom _room;
    private readonly MediaParticipant _publisher;
    private readonly SrtpContext _publisherOutbound;
    private readonly List<Socket> _sinks = [];
    private readonly List<MediaParticipant> _subscribers = [];
    private readonly byte[] _datagram = new byte[2048];
    private ushort _videoSequence;
    private ushort _audioSequence;
    private int _pictureId;

    private BenchRoom(Options options)
    {
        _options = options;
        _server = MediaServer.Start(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            Port = 0,
            ConsentTimeout = TimeSpan.FromHours(1),
            MaxParticipantsPerRoom = options.Subscribers + 1,
        });
        _room = (MediaRoom)_server.OpenRoom("bench");
        _publisher = (MediaParticipant)_room.Join("pub");
        MediaNegotiation answer = _publisher.Publish(PublisherOffer());
        if (!answer.Succeeded)
        {
            throw new InvalidOperationException("publish: " + answer.Error);
        }

        _publisherOutbound = Key(_publisher.PublishSession!, NewSink()).Remote!.CreateContext();
        for (int i = 0; i < options.Subscribers; i++)
        {
            var subscriber = (MediaParticipant)_room.Join("s" + i.ToString(CultureInfo.InvariantCulture));
            string offer = subscriber.TakeSubscriberOffer() ?? throw new InvalidOperationException("no subscriber offer");
            MediaNegotiation accepted = subscriber.AcceptSubscriberAnswer(AnswerTo(offer));
            if (!accepted.Succeeded)
            {
                throw new InvalidOperationException("subscriber answer: " + accepted.Error);
            }

            Key(subscriber.SubscribeSession!, NewSink());
            _subscribers.Add(subscriber);
        }
    }

    public static BenchRoom Create(Options options) => new(options);

    /// <summary>The real path: CPU time of this thread for P publisher packets, per forwarded packet.</summary>
    public double RunFull(int packets, bool batchSend = true)
    {
#if !BASELINE
        var transport = _server.Transport;
        transport.BatchSender = batchSend ? Suite.Meetings.Media.Transport.DatagramBatchSender.ForThisPlatform() : new Suite.Meetings.Media.Transport.PlainDatagramSender();
#else
        _ = batchSend;
#endif
        var session = _publisher.PublishSession!;
        long outBefore = _room.Counters.Snapshot().PacketsOut;
        long expected = 0;
        long softirqBefore = SoftIrqThreads.Nanoseconds();
        long start = ThreadCpu.Nanoseconds();
        for (int i = 0; i < packets; i++)
        {
            int length = NextPublisherPacket(_datagram, i);
            _publisherOutbound.ProtectRtp(_datagram, length, out int protectedLength);
            Span<byte> datagram = _datagram.AsSpan(0, protectedLength);
            if (session.UnprotectRtp(datagram, out int plainLength) == SrtpError.None)
            {
                session.RtpReceived!(session, datagram[..plainLength]);
            }

            expected += _options.Subscribers;
        }

        long elapsed = ThreadCpu.Nanoseconds() - start;
        long softirq = SoftIrqThreads.Nanoseconds() - softirqBefore;
        long forwarded = _room.Counters.Snapshot().PacketsOut - outBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  (ksoftirqd threads meanwhile: {softirq / 1000.0 / Math.Max(1, forwarded):0.000} µs per forwarded packet, machine-wide)"));
        if (forwarded < expected)
        {
            Console.WriteLine($"  (forwarded {forwarded} of {expected} expected packets)");
        }

        return elapsed / 1000.0 / Math.Max(1, forwarded);
    }

    /// <summary>Each stage on its own, over the same packets and the same number of subscribers.</summary>
    public IEnumerable<(string Stage, double Micros)> RunStages(int packets)
    {
        int n = _options.Subscribers;
        var plain = new byte[packets][];
        for (int i = 0; i < packets; i++)
        {
            int length = NextPublisherPacket(_datagram, i);
            plain[i] = _datagram[..length];
        }

        var rewriters = new StreamRewriter[n];
        var contexts = new SrtpContext[n];
        for (int s = 0; s < n; s++)
        {
            rewriters[s] = new StreamRewriter((uint)(0x3000_0000 + s), 96, 90000, vp8: true);
            contexts[s] = NewContext();
        }

        byte[] mid = "1"u8.ToArray();
        byte[] buffer = new byte[2048];
        long total = (long)packets * n;

        long start = ThreadCpu.Nanoseconds();
        for (int i = 0; i < packets; i++)
        {
            RtpHeader.TryParse(plain[i], out RtpHeader header, out _);
            for (int s = 0; s < n; s++)
            {
                int length = SubscriberPacketWriter.Write(buffer, plain[i], header, mid, -1);
                RtpHeader.TryParse(buffer.AsSpan(0, length), out RtpHeader outHeader, out _);
                rewriters[s].Rewrite(buffer.AsSpan(0, length), outHeader, newEpoch: false, now: 1);
            }
        }

        yield return ("rewrite", (ThreadCpu.Nanoseconds() - start) / 1000.0 / total);

        int written = SubscriberPacketWriter.Write(buffer, plain[0], ForwardingHeader(plain[0]), mid, -1);
        var sources = new byte[packets][];
        for (int i = 0; i < packets; i++)
        {
            RtpHeader header = ForwardingHeader(plain[i]);
            sources[i] = new byte[2048];
            int length = SubscriberPacketWriter.Write(sources[i], plain[i], header, mid, -1);
            sources[i] = sources[i][..(length + 16)];
        }

        start = ThreadCpu.Nanoseconds();
        for (int i = 0; i < packets; i++)
        {
            byte[] source = sources[i];
            int length = source.Length - 16;
            for (int s = 0; s < n; s++)
            {
                source.AsSpan(0, length).CopyTo(buffer);
                contexts[s].ProtectRtp(buffer, length, out _);
            }
        }

        yield return ("protect", (ThreadCpu.Nanoseconds() - start) / 1000.0 / total);
        _ = written;

        Socket socket = _sinks[0];
        var addresses = _sinks.Skip(1).Select(sink => sink.LocalEndPoint!.Serialize()).ToArray();
        start = ThreadCpu.Nanoseconds();
        for (int i = 0; i < packets; i++)
        {
            ReadOnlySpan<byte> datagram = sources[i];
            for (int s = 0; s < n; s++)
            {
                socket.SendTo(datagram, SocketFlags.None, addresses[s % addresses.Length]);
            }
        }

        yield return ("send", (ThreadCpu.Nanoseconds() - start) / 1000.0 / total);
#if !BASELINE
        var batch = new Suite.Meetings.Media.Transport.DatagramBatch();
        var sender = Suite.Meetings.Media.Transport.DatagramBatchSender.ForThisPlatform();
        var counters = new Suite.Meetings.Media.Transport.TransportCounters();
        var socketAddresses = _sinks.Skip(1).Select(sink => sink.LocalEndPoint!.Serialize()).ToArray();
        start = ThreadCpu.Nanoseconds();
        for (int i = 0; i < packets; i++)
        {
            ReadOnlySpan<byte> datagram = sources[i];
            for (int s = 0; s < n; s++)
            {
                datagram.CopyTo(batch.NextSlot);
                batch.Commit(datagram.Length, socketAddresses[s % socketAddresses.Length]);
                if (batch.IsFull)
                {
                    sender.Send(socket, batch, counters);
                    batch.Clear();
                }
            }

            sender.Send(socket, batch, counters);
            batch.Clear();
        }

        yield return ($"send-{sender.GetType().Name[..5].ToLowerInvariant()}", (ThreadCpu.Nanoseconds() - start) / 1000.0 / total);
#endif
        foreach (SrtpContext context in contexts)
        {
            context.Dispose();
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _publisherOutbound.Dispose();
        foreach (Socket sink in _sinks)
        {
            sink.Dispose();
        }
    }

    private static RtpHeader ForwardingHeader(byte[] packet)
    {
        RtpHeader.TryParse(packet, out RtpHeader header, out _);
        return header;
    }

    private SrtpContext NewContext()
    {
        int saltLength = SrtpProfiles.MasterSaltLength(_options.Profile);
        return new SrtpMasterKey(_options.Profile, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(saltLength)).CreateContext();
    }

    /// <summary>What a DTLS handshake would leave behind: the session bound to a loopback address and keyed.</summary>
    private DtlsHandshakeResult Key(Suite.Meetings.Media.Transport.ParticipantSession session, IPEndPoint remote)
    {
        session.Bind(remote.Serialize(), remote);
        int saltLength = SrtpProfiles.MasterSaltLength(_options.Profile);
        DtlsHandshakeResult result = DtlsHandshakeResult.Success(_options.Profile, RandomNumberGenerator.GetBytes(2 * (16 + saltLength)), isDtlsServer: true);
        session.InstallKeys(result);
        return result;
    }

    private IPEndPoint NewSink()
    {
        var sink = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4096 };
        sink.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sinks.Add(sink);
        return (IPEndPoint)sink.LocalEndPoint!;
    }

    /// <summary>Every <see cref="Options.AudioEvery"/>-th packet is a 100-byte Opus frame, the rest VP8 packets with a
    /// 15-bit picture id; a keyframe every 90 video packets (the first one too, so every subscriber's layer starts).</summary>
    private int NextPublisherPacket(Span<byte> buffer, int i)
    {
        bool audio = _options.AudioEvery > 0 && i % _options.AudioEvery == _options.AudioEvery - 1;
        buffer[..12].Clear();
        if (audio)
        {
            _audioSequence++;
            RtpHeaderWriter.WriteFixedHeader(buffer, marker: false, payloadType: 111, _audioSequence, (uint)(_audioSequence * 960), AudioSsrc);
            buffer[0] |= 0x10;
            ReadOnlySpan<byte> extension = [0xBE, 0xDE, 0x00, 0x01, 0x10, 0x9E, 0x00, 0x00];
            extension.CopyTo(buffer[12..]);
            RandomNumberGenerator.Fill(buffer.Slice(20, 100));
            return 120;
        }

        _videoSequence++;
        bool keyframe = _videoSequence % 90 == 1;
        if (keyframe)
        {
            _pictureId++;
        }

        RtpHeaderWriter.WriteFixedHeader(buffer, marker: false, payloadType: 96, _videoSequence, (uint)(_pictureId * 3000), VideoSsrc);
        Span<byte> payload = buffer[12..(12 + _options.VideoBytes)];
        payload.Fill(0x5A);
        payload[0] = (byte)(0x80 | (keyframe ? 0x10 : 0));
        payload[1] = 0x80;
        payload[2] = (byte)(0x80 | ((_pictureId >> 8) & 0x7F));
        payload[3] = (byte)_pictureId;
        payload[4] = (byte)(keyframe ? 0x00 : 0x01);
        return 12 + _options.VideoBytes;
    }

    private static string PublisherOffer()
    {
        string fingerprint = BrowserCertificate.Fingerprint.ToSdpValue();
        string common = $"a=ice-ufrag:pubr\r\na=ice-pwd:publisherpasswordpublish\r\na=fingerprint:{fingerprint}\r\na=setup:actpass\r\n" +
            "a=sendonly\r\na=rtcp-mux\r\n";
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n" + common + "a=mid:0\r\n" +
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            "a=rtpmap:111 opus/48000/2\r\na=ssrc:" + AudioSsrc + " cname:bench\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n" + common + "a=mid:1\r\n" +
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            "a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack\r\na=rtcp-fb:96 nack pli\r\na=ssrc:" + VideoSsrc + " cname:bench\r\n";
    }

    private static readonly DtlsCertificate BrowserCertificate = DtlsCertificate.CreateSelfSigned("bench-browser");

    private static string AnswerTo(string offerSdp)
    {
        SessionDescription offer = SdpParser.Parse(offerSdp);
        var text = new StringBuilder("v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        text.Append("a=group:BUNDLE ").Append(string.Join(' ', offer.Media.Select(media => media.Mid))).Append("\r\n");
        foreach (MediaDescription media in offer.Media)
        {
            SdpCodec codec = media.Codecs[0];
            text.Append(CultureInfo.InvariantCulture, $"m={media.Kind} 9 UDP/TLS/RTP/SAVPF {codec.PayloadType}\r\nc=IN IP4 0.0.0.0\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:brws\r\na=ice-pwd:browserpasswordbrowserpw\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=fingerprint:{BrowserCertificate.Fingerprint.ToSdpValue()}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=setup:active\r\na=mid:{media.Mid}\r\na=recvonly\r\na=rtcp-mux\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.Name}/{codec.ClockRate}{(codec.Channels > 1 ? "/" + codec.Channels : "")}\r\n");
        }

        return text.ToString();
    }
}

/// <summary>CLOCK_THREAD_CPUTIME_ID: the CPU time of the calling thread, so that other processes on the machine do not count.</summary>
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        ClockGetTime(ClockThreadCpuTimeId, out TimeSpec time);
        return time.Seconds * 1_000_000_000 + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}

/// <summary>CPU time of the kernel's ksoftirqd threads: loopback delivery the kernel defers there is not charged to the
/// sending thread, so it is reported beside the thread's own time (it includes the other tenants of the machine).</summary>
internal static class SoftIrqThreads
{
    public static long Nanoseconds()
    {
        long ticks = 0;
        foreach (string directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                if (!int.TryParse(Path.GetFileName(directory), out _) || !File.ReadAllText(Path.Combine(directory, "comm")).StartsWith("ksoftirqd", StringComparison.Ordinal))
                {
                    continue;
                }

                string[] fields = File.ReadAllText(Path.Combine(directory, "stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the process ended while we read it
            }
        }

        return ticks * 10_000_000; // USER_HZ = 100
    }
}
