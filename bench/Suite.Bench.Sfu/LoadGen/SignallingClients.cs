using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>Our host's loopback signalling (see <see cref="SignallingHost"/>).</summary>
internal sealed class OursSignalling(HttpClient http, string baseUrl)
{
    public async Task JoinAsync(string room, string id) => await PostAsync($"rooms/{room}/join/{id}", "", expectBody: false);

    public Task<string> PublishAsync(string room, string id, string offer) => PostAsync($"rooms/{room}/publish/{id}", offer, expectBody: true);

    /// <summary>The SFU's subscriber offer, or null when it has nothing new (204).</summary>
    public async Task<string?> SubscriberOfferAsync(string room, string id)
    {
        using HttpResponseMessage response = await http.GetAsync($"{baseUrl}/rooms/{room}/subscriber-offer/{id}");
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return null;
        }

        string text = await response.Content.ReadAsStringAsync();
        return response.StatusCode == HttpStatusCode.OK ? text : throw new InvalidOperationException($"subscriber offer {id}: {(int)response.StatusCode} {text}");
    }

    public async Task SubscriberAnswerAsync(string room, string id, string answer) =>
        await PostAsync($"rooms/{room}/subscriber-answer/{id}", answer, expectBody: false);

    private async Task<string> PostAsync(string path, string body, bool expectBody)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/sdp");
        using HttpResponseMessage response = await http.PostAsync($"{baseUrl}/{path}", content);
        string text = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 300 || (expectBody && response.StatusCode != HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return text;
    }
}

/// <summary>
/// Janus 1.1.2's REST API: one session per process, a long poll for asynchronous events, VideoRoom handles
/// (the same requests as bench/sfu/signalling.mjs and janus.js).
/// </summary>
internal sealed class JanusSignalling(HttpClient http, string baseUrl) : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode>> _waiters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private long _session;
    private long _counter;

    public async Task<long> AttachAsync()
    {
        await StartAsync();
        JsonNode r = await PostAsync($"/{_session}", new JsonObject { ["janus"] = "attach", ["plugin"] = "janus.plugin.videoroom", ["transaction"] = NextTransaction() });
        return r["data"]!["id"]!.GetValue<long>();
    }

    public async Task CreateRoomAsync(long room)
    {
        long handle = await AttachAsync();
        JsonNode r = await RequestAsync(handle, new JsonObject
        {
            ["request"] = "create",
            ["room"] = room,
            ["publishers"] = 16,
            ["bitrate"] = 4_000_000,
            ["videocodec"] = "vp8",
            ["audiocodec"] = "opus",
            ["audiolevel_ext"] = true,
            ["audiolevel_event"] = false,
            ["transport_wide_cc_ext"] = true,
            ["notify_joining"] = false,
        });
        JsonNode? data = r["plugindata"]?["data"];
        if (data?["error_code"] is JsonNode code && code.GetValue<int>() != 427)
        {
            throw new InvalidOperationException($"janus create room: {data["error"]}");
        }
    }

    /// <summary>Joins as a publisher and publishes: the answer and the feed id.</summary>
    public async Task<(string Answer, long Feed)> PublishAsync(long room, string display, string offer)
    {
        long handle = await AttachAsync();
        JsonNode joined = await RequestAsync(handle, new JsonObject { ["request"] = "join", ["ptype"] = "publisher", ["room"] = room, ["display"] = display });
        long feed = joined["plugindata"]!["data"]!["id"]!.GetValue<long>();
        JsonNode published = await RequestAsync(
            handle, new JsonObject { ["request"] = "publish", ["audio"] = true, ["video"] = true }, new JsonObject { ["type"] = "offer", ["sdp"] = offer });
        string answer = published["jsep"]?["sdp"]?.GetValue<string>() ?? throw new InvalidOperationException($"janus publish: no answer {published.ToJsonString()}");
        return (answer, feed);
    }

    /// <summary>One multistream subscriber handle for the feeds: its offer, handle and video mids.</summary>
    public async Task<(string Offer, long Handle, string[] VideoMids)> SubscribeAsync(long room, IEnumerable<long> feeds)
    {
        long handle = await AttachAsync();
        var streams = new JsonArray(feeds.Select(f => (JsonNode)new JsonObject { ["feed"] = f }).ToArray());
        JsonNode attached = await RequestAsync(handle, new JsonObject { ["request"] = "join", ["ptype"] = "subscriber", ["room"] = room, ["streams"] = streams });
        string offer = attached["jsep"]?["sdp"]?.GetValue<string>() ?? throw new InvalidOperationException($"janus subscribe: no offer {attached.ToJsonString()}");
        string[] videoMids = (attached["plugindata"]?["data"]?["streams"] as JsonArray ?? [])
            .Where(s => s?["type"]?.GetValue<string>() == "video")
            .Select(s => s!["mid"]!.GetValue<string>())
            .ToArray();
        return (offer, handle, videoMids);
    }

    public async Task StartAsync(long handle, string answer) =>
        await RequestAsync(handle, new JsonObject { ["request"] = "start" }, new JsonObject { ["type"] = "answer", ["sdp"] = answer });

    /// <summary>Asks for the top layer (Janus 1.1.2 forwards substream 0 until told otherwise).</summary>
    public async Task ConfigureTopLayerAsync(long handle, string[] videoMids)
    {
        if (videoMids.Length == 0)
        {
            return;
        }

        var streams = new JsonArray(videoMids.Select(m => (JsonNode)new JsonObject { ["mid"] = m, ["substream"] = 2, ["temporal"] = 2 }).ToArray());
        await RequestAsync(handle, new JsonObject { ["request"] = "configure", ["streams"] = streams });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
        _startGate.Dispose();
    }

    private string NextTransaction() => $"t{Environment.ProcessId}-{Interlocked.Increment(ref _counter)}";

    private async Task StartAsync()
    {
        if (_session != 0)
        {
            return;
        }

        await _startGate.WaitAsync();
        try
        {
            if (_session == 0)
            {
                JsonNode created = await PostAsync("", new JsonObject { ["janus"] = "create", ["transaction"] = NextTransaction() });
                _session = created["data"]!["id"]!.GetValue<long>();
                _ = Task.Run(PollAsync);
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task PollAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                string text = await http.GetStringAsync($"{baseUrl}/{_session}?maxev=50&rid={Environment.TickCount64}", _stop.Token);
                JsonNode? parsed = JsonNode.Parse(text);
                IEnumerable<JsonNode?> events = parsed is JsonArray array ? array : [parsed];
                foreach (JsonNode? e in events)
                {
                    string? transaction = e?["transaction"]?.GetValue<string>();
                    if (transaction is not null && e!["janus"]?.GetValue<string>() != "ack" && _waiters.TryRemove(transaction, out var waiter))
                    {
                        waiter.TrySetResult(e);
                    }
                }
            }
            catch (Exception) when (!_stop.IsCancellationRequested)
            {
                await Task.Delay(200);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<JsonNode> PostAsync(string path, JsonObject message)
    {
        using var content = new StringContent(message.ToJsonString(), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await http.PostAsync($"{baseUrl}{path}", content);
        JsonNode json = JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("janus: empty response");
        if (json["janus"]?.GetValue<string>() == "error")
        {
            throw new InvalidOperationException($"janus {message["janus"]}: {json["error"]?.ToJsonString()}");
        }

        return json;
    }

    /// <summary>A VideoRoom request; waits for its asynchronous event when Janus only acks it.</summary>
    private async Task<JsonNode> RequestAsync(long handle, JsonObject body, JsonObject? jsep = null)
    {
        string transaction = NextTransaction();
        var done = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters[transaction] = done;
        var message = new JsonObject { ["janus"] = "message", ["transaction"] = transaction, ["body"] = body };
        if (jsep is not null)
        {
            message["jsep"] = jsep;
        }

        JsonNode r = await PostAsync($"/{_session}/{handle}", message);
        if (r["janus"]?.GetValue<string>() == "success")
        {
            _waiters.TryRemove(transaction, out _);
            return r;
        }

        JsonNode e = await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        if (e["plugindata"]?["data"]?["error"] is JsonNode error)
        {
            throw new InvalidOperationException($"janus {body["request"]}: {e["plugindata"]!["data"]!["error_code"]} {error}");
        }

        return e;
    }
}
