using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Srtp;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>
/// The native load generator (`Suite.Bench.Sfu loadgen`): publishers and subscribers of one scenario in one process,
/// driven by bench/sfu/run.mjs with one JSON request per stdin line and one JSON response per stdout line — the same
/// operations as the werift bench/sfu/loadgen.mjs (createJanusRoom, publish, subscribe, flowing, startRecording,
/// stopRecording, close), plus floor (publisher straight to N receivers, no SFU: the harness's own latency floor).
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(1);

    private readonly DtlsCertificate _certificate = DtlsCertificate.CreateSelfSigned("suite-bench-loadgen");
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly List<ReceiveGroup> _groups = [];
    private readonly List<SyntheticPublisher> _publishers = [];
    private readonly List<Peer> _subscribers = [];
    private readonly List<Peer> _allPeers = [];
    private readonly Dictionary<string, JanusSignalling> _janus = [];
    private readonly Lock _gate = new();
    private readonly Timer _reports;
    private readonly Lock _reportGate = new();
    private readonly uint _receiverSsrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
    private long _reportTicks;
    private Thread? _pacer;
    private volatile bool _stopped;
    private long _lateTicks;
    private double _recordingCpuMs;
    private long _recordingStart;

    /// <summary>Whether subscribers send receiver reports (`--receiver-reports 0` in run.mjs switches them off).</summary>
    public bool ReceiverReports { get; set; } = true;

    public LoadGenerator()
    {
        _reports = new Timer(_ => SendConsentAndReports(), null, ReportInterval, ReportInterval);
    }

    public static async Task<int> RunAsync()
    {
        using var generator = new LoadGenerator();
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var writeGate = new SemaphoreSlim(1, 1);
        var running = new List<Task>();
        while (await Console.In.ReadLineAsync() is { } line)
        {
            JsonObject request = JsonNode.Parse(line)!.AsObject();
            running.Add(Task.Run(async () =>
            {
                JsonObject response = new() { ["rpc"] = request["rpc"]?.DeepClone() };
                try
                {
                    response["result"] = await generator.HandleAsync(request);
                    response["ok"] = true;
                }
                catch (Exception ex)
                {
                    response["ok"] = false;
                    response["error"] = ex.ToString();
                }

                await writeGate.WaitAsync();
                try
                {
                    await stdout.WriteLineAsync(response.ToJsonString());
                }
                finally
                {
                    writeGate.Release();
                }
            }));
            if (request["op"]?.GetValue<string>() == "close")
            {
                break;
            }
        }

        await Task.WhenAll(running);
        return 0;
    }

    private async Task<JsonNode> HandleAsync(JsonObject r)
    {
        switch (r["op"]!.GetValue<string>())
        {
            case "createJanusRoom":
                await Janus(Str(r, "base")).CreateRoomAsync(r["room"]!.GetValue<long>());
                return new JsonObject();
            case "publish":
                return await PublishAsync(Str(r, "sfu"), Str(r, "base"), r["room"]!.ToString(), Str(r, "id"));
            case "subscribe":
                return await SubscribeAllAsync(r);
            case "floor":
                return Floor(r["n"]!.GetValue<int>());
            case "options":
                ReceiverReports = r["receiverReports"]?.GetValue<bool>() ?? true;
                return new JsonObject();
            case "flowing":
                return Flowing();
            case "startRecording":
                return StartRecording();
            case "stopRecording":
                return await StopRecordingAsync();
            case "close":
                return new JsonObject();
            default:
                throw new InvalidOperationException($"unknown op {r["op"]}");
        }
    }

    private static string Str(JsonObject r, string name) => r[name]?.GetValue<string>() ?? throw new ArgumentException($"missing {name}");

    private JanusSignalling Janus(string baseUrl)
    {
        lock (_gate)
        {
            if (!_janus.TryGetValue(baseUrl, out JanusSignalling? janus))
            {
                janus = new JanusSignalling(_http, baseUrl);
                _janus[baseUrl] = janus;
            }

            return janus;
        }
    }

    private Peer NewPeer(string name)
    {
        var peer = new Peer(name, _certificate);
        lock (_gate)
        {
            _allPeers.Add(peer);
            ReceiveGroup? group = _groups.FirstOrDefault(g => g.Count < ReceiveGroup.Capacity);
            if (group is null)
            {
                group = new ReceiveGroup(_groups.Count);
                _groups.Add(group);
            }

            group.Add(peer);
        }

        return peer;
    }

    private async Task<JsonNode> PublishAsync(string sfu, string baseUrl, string room, string id)
    {
        Peer peer = NewPeer($"publisher {id}");
        uint audioSsrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        // Rid order as each SFU's own client sends it: low → high for ours, high → low for Janus (janus.js).
        string offer = SdpText.PublisherOffer(peer.Local, audioSsrc, SyntheticPublisher.Rids(highFirst: sfu != "ours"));
        string answer;
        long? feed = null;
        if (sfu == "ours")
        {
            var ours = new OursSignalling(_http, baseUrl);
            await ours.JoinAsync(room, id);
            answer = await ours.PublishAsync(room, id, offer);
        }
        else
        {
            (answer, long f) = await Janus(baseUrl).PublishAsync(long.Parse(room, System.Globalization.CultureInfo.InvariantCulture), id, offer);
            feed = f;
        }

        await peer.ConnectAsync(RemoteDescription.Parse(answer), CancellationToken.None);
        var publisher = new SyntheticPublisher(peer, audioSsrc);
        lock (_gate)
        {
            _publishers.Add(publisher);
        }

        StartPacer();
        return new JsonObject { ["feed"] = feed };
    }

    private async Task<JsonNode> SubscribeAllAsync(JsonObject r)
    {
        string sfu = Str(r, "sfu");
        string baseUrl = Str(r, "base");
        string room = r["room"]!.ToString();
        bool joined = r["joined"]?.GetValue<bool>() ?? false;
        int batch = r["batch"]?.GetValue<int>() ?? 16;
        string[] ids = r["ids"]!.AsArray().Select(x => x!.GetValue<string>()).ToArray();
        var errors = new JsonArray();
        for (int i = 0; i < ids.Length; i += batch)
        {
            await Task.WhenAll(ids.Skip(i).Take(batch).Select(async id =>
            {
                long[] feeds = (r["feedsById"]?[id] ?? r["feeds"])?.AsArray().Where(f => f is not null).Select(f => f!.GetValue<long>()).ToArray() ?? [];
                try
                {
                    await SubscribeAsync(sfu, baseUrl, room, id, feeds, joined);
                }
                catch (Exception ex)
                {
                    lock (errors)
                    {
                        errors.Add($"{id}: {ex.Message}");
                    }
                }
            }));
        }

        return new JsonObject { ["errors"] = errors };
    }

    private async Task SubscribeAsync(string sfu, string baseUrl, string room, string id, long[] feeds, bool joined)
    {
        Peer peer = NewPeer($"subscriber {id}");
        lock (_gate)
        {
            _subscribers.Add(peer);
        }

        if (sfu == "ours")
        {
            var ours = new OursSignalling(_http, baseUrl);
            if (!joined)
            {
                await ours.JoinAsync(room, id);
            }

            // Answer offers until the SFU has nothing new (the first one, then any renegotiation it queued meanwhile).
            Task? connecting = null;
            for (int round = 0; round < 6; round++)
            {
                string? offer = null;
                for (int i = 0; i < 50 && offer is null; i++)
                {
                    offer = await ours.SubscriberOfferAsync(room, id);
                    if (offer is null && (round > 0 || i > 20))
                    {
                        break;
                    }

                    if (offer is null)
                    {
                        await Task.Delay(100);
                    }
                }

                if (offer is null)
                {
                    break;
                }

                RemoteDescription remote = RemoteDescription.Parse(offer);
                NoteAudioPayloadTypes(peer, remote);
                await ours.SubscriberAnswerAsync(room, id, SdpText.SubscriberAnswer(peer.Local, remote));
                connecting ??= peer.ConnectAsync(remote, CancellationToken.None);
            }

            await (connecting ?? throw new InvalidOperationException($"subscriber {id}: no offer from the SFU"));
        }
        else
        {
            JanusSignalling janus = Janus(baseUrl);
            (string offer, long handle, string[] videoMids) = await janus.SubscribeAsync(long.Parse(room, System.Globalization.CultureInfo.InvariantCulture), feeds);
            RemoteDescription remote = RemoteDescription.Parse(offer);
            NoteAudioPayloadTypes(peer, remote);
            await janus.StartAsync(handle, SdpText.SubscriberAnswer(peer.Local, remote));
            await peer.ConnectAsync(remote, CancellationToken.None);
            await janus.ConfigureTopLayerAsync(handle, videoMids);
        }
    }

    private static void NoteAudioPayloadTypes(Peer peer, RemoteDescription remote)
    {
        foreach (SdpMediaSection m in remote.Media.Where(m => m.Kind == "audio"))
        {
            if (m.PayloadTypeOf("opus") is int pt)
            {
                peer.AudioPayloadTypes.Add(pt);
            }
        }
    }

    /// <summary>The harness floor: one publisher sending its top layer and audio straight to N receivers, no SFU.</summary>
    private JsonNode Floor(int n)
    {
        byte[] key = new byte[SrtpProfiles.MasterKeyLength];
        byte[] salt = new byte[SrtpProfiles.CmSaltLength];
        Random.Shared.NextBytes(key);
        Random.Shared.NextBytes(salt);
        var master = new SrtpMasterKey(SrtpProfile.AesCm128HmacSha1_80, key, salt);
        Peer sender = NewPeer("floor publisher");
        var publisher = new SyntheticPublisher(sender, (uint)Random.Shared.NextInt64(1, uint.MaxValue)) { FloorLayer = 2 };
        for (int i = 0; i < n; i++)
        {
            Peer receiver = NewPeer($"floor receiver {i}");
            receiver.UsePresharedKeys(master, sender.Local.Address);
            publisher.Targets.Add(receiver.Local.Address.Serialize());
            lock (_gate)
            {
                _subscribers.Add(receiver);
            }
        }

        sender.UsePresharedKeys(master, peer: null);
        lock (_gate)
        {
            _publishers.Add(publisher);
        }

        StartPacer();
        return new JsonObject { ["srtpProfile"] = master.Profile.ToString() };
    }

    private JsonNode Flowing()
    {
        Peer[] subscribers;
        lock (_gate)
        {
            subscribers = [.. _subscribers];
        }

        return new JsonObject
        {
            ["subscribers"] = subscribers.Length,
            ["flowing"] = subscribers.Count(s => Volatile.Read(ref s.AudioPackets) > 0 && Volatile.Read(ref s.VideoPackets) > 0),
            ["withVideo"] = subscribers.Count(s => Volatile.Read(ref s.VideoPackets) > 0),
            ["withAudio"] = subscribers.Count(s => Volatile.Read(ref s.AudioPackets) > 0),
        };
    }

    private JsonNode StartRecording()
    {
        lock (_gate)
        {
            foreach (ReceiveGroup g in _groups)
            {
                g.Stats.Recording = false;
            }

            Thread.Sleep(20); // let the receive threads finish the packet in hand before the counters are cleared
            foreach (ReceiveGroup g in _groups)
            {
                g.Stats.Reset();
            }

            foreach (SyntheticPublisher p in _publishers)
            {
                p.ResetCounters();
            }

            Interlocked.Exchange(ref _lateTicks, 0);
            _recordingCpuMs = ProcessUsage.CpuMilliseconds();
            _recordingStart = Stopwatch.GetTimestamp();
            foreach (ReceiveGroup g in _groups)
            {
                g.Stats.Recording = true;
            }
        }

        return new JsonObject();
    }

    private async Task<JsonNode> StopRecordingAsync()
    {
        ReceiveGroup[] groups;
        SyntheticPublisher[] publishers;
        lock (_gate)
        {
            groups = [.. _groups];
            publishers = [.. _publishers];
        }

        foreach (ReceiveGroup g in groups)
        {
            g.Stats.Recording = false;
        }

        double cpuMs = ProcessUsage.CpuMilliseconds() - _recordingCpuMs;
        double wallMs = Stopwatch.GetElapsedTime(_recordingStart).TotalMilliseconds;
        await Task.Delay(20);

        long[] byLayer = new long[4], bytesByLayer = new long[4], sentByLayer = new long[4];
        var histogram = new SortedDictionary<int, long>();
        var handlerHistogram = new SortedDictionary<int, long>();
        long packets = 0, bytes = 0, gaps = 0, late = 0, duplicates = 0, decryptErrors = 0, switches = 0, latencyCount = 0;
        double maxLatency = 0;
        foreach (ReceiveStats s in groups.Select(g => g.Stats))
        {
            packets += s.Packets;
            bytes += s.Bytes;
            gaps += s.Gaps;
            late += s.Late;
            duplicates += s.Duplicates;
            decryptErrors += s.DecryptErrors;
            switches += s.LayerSwitches;
            latencyCount += s.LatencyCount;
            maxLatency = Math.Max(maxLatency, s.MaxLatencyMicroseconds);
            for (int i = 0; i < 4; i++)
            {
                byLayer[i] += s.ByLayer[i];
                bytesByLayer[i] += s.BytesByLayer[i];
            }

            for (int b = 0; b < s.Latency.Length; b++)
            {
                if (s.Latency[b] != 0)
                {
                    histogram[b] = histogram.GetValueOrDefault(b) + s.Latency[b];
                }

                if (s.HandlerLatency[b] != 0)
                {
                    handlerHistogram[b] = handlerHistogram.GetValueOrDefault(b) + s.HandlerLatency[b];
                }
            }
        }

        long sentPackets = 0, sentBytes = 0, keyframes = 0, plis = 0;
        foreach (PublisherCounters c in publishers.Select(p => p.Sent))
        {
            sentPackets += c.Packets;
            sentBytes += c.Bytes;
            keyframes += c.Keyframes;
            plis += c.Plis;
            for (int i = 0; i < 4; i++)
            {
                sentByLayer[i] += c.ByLayer[i];
            }
        }

        return new JsonObject
        {
            ["wallMs"] = wallMs,
            ["cpuMs"] = cpuMs,
            ["generator"] = new JsonObject
            {
                ["kind"] = "native",
                ["receiveThreads"] = groups.Length,
                ["threads"] = Process.GetCurrentProcess().Threads.Count,
                ["srtpProfiles"] = JsonSerializer.SerializeToNode(_allPeers.Where(p => p.Inbound is not null).GroupBy(p => p.Inbound!.Profile.ToString()).ToDictionary(g => g.Key, g => g.Count())),
                ["rssKiB"] = ProcessUsage.ResidentKiB(),
            },
            ["sent"] = new JsonObject
            {
                ["packets"] = sentPackets,
                ["bytes"] = sentBytes,
                ["byLayer"] = JsonSerializer.SerializeToNode(sentByLayer),
                ["keyframes"] = keyframes,
                ["plis"] = plis,
                ["lateTicks"] = Interlocked.Read(ref _lateTicks),
            },
            ["received"] = new JsonObject
            {
                ["packets"] = packets,
                ["bytes"] = bytes,
                ["gaps"] = gaps,
                ["late"] = late,
                ["duplicates"] = duplicates,
                ["byLayer"] = JsonSerializer.SerializeToNode(byLayer),
                ["bytesByLayer"] = JsonSerializer.SerializeToNode(bytesByLayer),
                ["latency"] = new JsonArray(histogram.Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value)).ToArray()),
                ["handlerLatency"] = new JsonArray(handlerHistogram.Select(kv => (JsonNode)new JsonArray(kv.Key, kv.Value)).ToArray()),
                ["latencyCount"] = latencyCount,
                ["maxLatencyUs"] = maxLatency,
                ["decryptErrors"] = decryptErrors,
                ["layerSwitches"] = switches,
            },
        };
    }

    private void StartPacer()
    {
        lock (_gate)
        {
            if (_pacer is not null)
            {
                return;
            }

            _pacer = new Thread(Pace) { IsBackground = true, Name = "loadgen-pacer", Priority = ThreadPriority.Highest };
            _pacer.Start();
        }
    }

    /// <summary>The publishers' clock: audio every 20 ms, video frames every 33.3 ms, pacing every ~1 ms.</summary>
    private void Pace()
    {
        double nextAudioMs = Environment.TickCount64;
        double nextVideoMs = nextAudioMs;
        long last = Stopwatch.GetTimestamp();
        while (!_stopped)
        {
            SyntheticPublisher[] publishers;
            lock (_gate)
            {
                publishers = [.. _publishers];
            }

            long nowMs = Environment.TickCount64;
            if (nowMs - nextVideoMs > 250)
            {
                // Starved: do not burst what was missed.
                Interlocked.Increment(ref _lateTicks);
                nextVideoMs = nextAudioMs = nowMs;
            }

            for (; nextAudioMs <= nowMs; nextAudioMs += 20)
            {
                foreach (SyntheticPublisher p in publishers)
                {
                    p.QueueAudio();
                }
            }

            for (; nextVideoMs <= nowMs; nextVideoMs += 1000.0 / 30)
            {
                foreach (SyntheticPublisher p in publishers)
                {
                    p.QueueVideoFrames(nowMs);
                }
            }

            long now = Stopwatch.GetTimestamp();
            double elapsed = (double)(now - last) / Stopwatch.Frequency;
            last = now;
            foreach (SyntheticPublisher p in publishers)
            {
                p.Pace(elapsed);
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Subscribers' receiver reports every second (unless switched off); STUN consent every 2 s (RFC 7675).</summary>
    private void SendConsentAndReports()
    {
        if (!_reportGate.TryEnter())
        {
            return;
        }

        try
        {
            Peer[] peers, subscribers;
            lock (_gate)
            {
                peers = [.. _allPeers];
                subscribers = [.. _subscribers];
            }

            if (ReceiverReports)
            {
                foreach (Peer p in subscribers.Where(p => p.Connected && p.Remote is not null))
                {
                    p.SendReceiverReport(_receiverSsrc);
                }
            }

            if (++_reportTicks % 2 == 0)
            {
                foreach (Peer p in peers.Where(p => p.Connected))
                {
                    p.SendBindingRequest(useCandidate: false);
                }
            }
        }
        finally
        {
            _reportGate.Exit();
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _reports.Dispose();
        _pacer?.Join(1000);
        foreach (ReceiveGroup g in _groups)
        {
            g.Dispose();
        }

        foreach (Peer p in _allPeers)
        {
            p.Dispose();
        }

        foreach (JanusSignalling j in _janus.Values)
        {
            j.Dispose();
        }

        _http.Dispose();
    }
}
