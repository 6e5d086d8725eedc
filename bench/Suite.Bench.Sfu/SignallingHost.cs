using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Suite.Meetings.Media;

namespace Suite.Bench.Sfu;

/// <summary>
/// Minimal loopback HTTP signalling over <see cref="IMediaServer"/> for the load generators:
/// POST /rooms/{room}/join/{participant}; POST /rooms/{room}/publish/{participant} (offer → answer);
/// GET /rooms/{room}/subscriber-offer/{participant} (200 offer, 204 none); POST /rooms/{room}/subscriber-answer/{participant};
/// POST /rooms/{room}/leave/{participant}; POST /rooms/{room}/close; GET /stats; POST /quit.
/// </summary>
internal sealed class SignallingHost(IMediaServer server, int port)
{
    private readonly ConcurrentDictionary<string, long> _eventCounts = new();
    private readonly ConcurrentQueue<string> _eventLog = new();
    private readonly HashSet<string> _watchedRooms = [];
    private readonly TaskCompletionSource _quit = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task RunAsync()
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        while (!_quit.Task.IsCompleted)
        {
            Task<HttpListenerContext> next = listener.GetContextAsync();
            if (await Task.WhenAny(next, _quit.Task) != next)
            {
                break;
            }

            HttpListenerContext context = await next;
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        HttpListenerRequest request = context.Request;
        HttpListenerResponse response = context.Response;
        try
        {
            string body = request.HasEntityBody ? await new StreamReader(request.InputStream, Encoding.UTF8).ReadToEndAsync() : "";
            string[] parts = request.Url!.AbsolutePath.Trim('/').Split('/');
            (int status, string text, string type) = Dispatch(request.HttpMethod, parts, body);
            await WriteAsync(response, status, text, type);
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"signalling error on {request.HttpMethod} {request.Url}: {ex}");
            await WriteAsync(response, 500, ex.ToString(), "text/plain");
        }
    }

    private (int Status, string Text, string Type) Dispatch(string method, string[] parts, string body)
    {
        switch (method, parts)
        {
            case ("GET", ["stats"]):
                return (200, StatsJson(), "application/json");
            case ("POST", ["quit"]):
                _quit.TrySetResult();
                return (204, "", "text/plain");
            case ("POST", ["rooms", var room, "close"]):
                server.FindRoom(room)?.Close();
                return (204, "", "text/plain");
            case ("POST", ["rooms", var room, "join", var participant]):
                Room(room).Join(participant);
                return (204, "", "text/plain");
            case ("POST", ["rooms", var room, "leave", var participant]):
                server.FindRoom(room)?.Remove(participant, "bench: left");
                return (204, "", "text/plain");
            case ("POST", ["rooms", var room, "publish", var participant]):
                return Negotiation(Participant(room, participant).Publish(body));
            case ("GET", ["rooms", var room, "subscriber-offer", var participant]):
                string? offer = Participant(room, participant).TakeSubscriberOffer();
                return offer is null ? (204, "", "text/plain") : (200, offer, "application/sdp");
            case ("POST", ["rooms", var room, "subscriber-answer", var participant]):
                return Negotiation(Participant(room, participant).AcceptSubscriberAnswer(body));
            case ("GET", ["rooms", var room, "stats", var participant]):
                return (200, JsonSerializer.Serialize(Participant(room, participant).GetStats()), "application/json");
            default:
                return (404, "no such endpoint", "text/plain");
        }
    }

    private static (int, string, string) Negotiation(MediaNegotiation result) =>
        result.Succeeded ? (200, result.Sdp ?? "", "application/sdp") : (400, result.Error ?? "negotiation failed", "text/plain");

    private IMediaRoom Room(string roomId)
    {
        IMediaRoom room = server.OpenRoom(roomId);
        lock (_watchedRooms)
        {
            if (_watchedRooms.Add(roomId))
            {
                room.EventRaised += OnEvent;
            }
        }

        return room;
    }

    private IMediaParticipant Participant(string roomId, string participantId) =>
        Room(roomId).Find(participantId) ?? throw new InvalidOperationException($"no participant {participantId} in {roomId}");

    private void OnEvent(MediaRoomEvent e)
    {
        _eventCounts.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
        if (e is MediaParticipantFailed or MediaParticipantLeft)
        {
            _eventLog.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e}");
            while (_eventLog.Count > 200)
            {
                _eventLog.TryDequeue(out _);
            }
        }
    }

    private string StatsJson()
    {
        MediaMetrics m = server.Metrics;
        var stats = new Dictionary<string, object>
        {
            ["cpuMs"] = ProcessUsage.CpuMilliseconds(),
            ["totalProcessorTimeMs"] = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds,
            ["rssKiB"] = ProcessUsage.ResidentKiB(),
            ["peakRssKiB"] = ProcessUsage.PeakResidentKiB(),
            ["managedHeapBytes"] = GC.GetTotalMemory(false),
            ["gcCollections"] = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) },
            ["threads"] = System.Diagnostics.Process.GetCurrentProcess().Threads.Count,
            ["metrics"] = new Dictionary<string, object>
            {
                ["packetsIn"] = m.PacketsIn,
                ["bytesIn"] = m.BytesIn,
                ["packetsOut"] = m.PacketsOut,
                ["bytesOut"] = m.BytesOut,
                ["nacksServed"] = m.NacksServed,
                ["keyframeRequests"] = m.KeyframeRequests,
                ["handshakesSucceeded"] = m.HandshakesSucceeded,
                ["handshakesFailed"] = m.HandshakesFailed,
                ["dropped"] = m.DroppedByReason,
            },
            ["events"] = _eventCounts.ToDictionary(kv => kv.Key, kv => kv.Value),
            ["eventLog"] = _eventLog.ToArray(),
        };
        return JsonSerializer.Serialize(stats);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, string text, string type)
    {
        response.StatusCode = status;
        response.ContentType = type;
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
