using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.Bench.Portal;

/// <summary>Blazor Server's hub protocol is SignalR's MessagePack protocol under the name "blazorpack" (the server
/// side restricts argument types to primitives and byte arrays, which is all this client sends).</summary>
internal sealed class BlazorPackProtocol : IHubProtocol
{
    private readonly MessagePackHubProtocol _inner = new();

    public string Name => "blazorpack";
    public int Version => 2;
    public TransferFormat TransferFormat => TransferFormat.Binary;
    public bool IsVersionSupported(int version) => version <= Version;

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
        _inner.TryParseMessage(ref input, binder, out message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);
}

/// <summary>What the signed-in home page gives a browser to start its interactive islands: the prerender markers of
/// the server components (&lt;!--Blazor:{...}--&gt;) and the persisted component state, if any.</summary>
public sealed partial record PrerenderedPage(IReadOnlyList<string> Markers, string ApplicationState)
{
    public static PrerenderedPage Parse(string html)
    {
        var markers = new List<string>();
        foreach (Match match in MarkerPattern().Matches(html))
        {
            var json = match.Groups["json"].Value;
            var node = JsonNode.Parse(json);
            if (node?["type"]?.GetValue<string>() is "server" or "auto")
                markers.Add(json);
        }
        var state = StatePattern().Match(html);
        return new PrerenderedPage(markers, state.Success ? state.Groups["state"].Value : "");
    }

    /// <summary>The root component operations blazor.web.js sends in its first UpdateRootComponents: one "add" per
    /// marker, numbered from 1, carrying the marker as rendered.</summary>
    public string AddOperations()
    {
        var operations = new JsonArray();
        for (var i = 0; i < Markers.Count; i++)
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = JsonNode.Parse(Markers[i]) });
        return new JsonObject { ["batchId"] = 1, ["operations"] = operations }.ToJsonString();
    }

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex MarkerPattern();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[^-]*?)-->", RegexOptions.Singleline)]
    private static partial Regex StatePattern();
}

/// <summary>One browser tab's interactive circuit, without the browser: a WebSocket to /_blazor carrying the tab's
/// auth cookie, StartCircuit then UpdateRootComponents with the page's markers, render batches acknowledged
/// (OnRenderCompleted) and JS interop calls answered as blazor.web.js would. Then it stays idle.</summary>
public sealed class CircuitClient : IAsyncDisposable
{
    private static readonly byte[] BellId = Encoding.UTF8.GetBytes("notifications-button");
    private readonly HubConnection _hub;
    private readonly TaskCompletionSource _firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _renderBatches;
    private int _jsCalls;

    private CircuitClient(HubConnection hub) => _hub = hub;

    public int RenderBatches => Volatile.Read(ref _renderBatches);
    public int JsCalls => Volatile.Read(ref _jsCalls);
    public bool BellRendered { get; private set; }
    public string? Error { get; private set; }
    public bool Connected => _hub.State == HubConnectionState.Connected;
    public Exception? ClosedBy { get; private set; }
    public bool Closed { get; private set; }

    /// <summary>Verbose: prints each interop call and message the first circuit receives (protocol check).</summary>
    public static bool Trace { get; set; }

    public static async Task<CircuitClient> OpenAsync(FormClient user, string baseUrl, ILoggerProvider? logs, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        // 1. The browser loads the page: server-rendered, with the bell's prerender marker.
        using var response = await user.Http.GetAsync("/", cancel.Token);
        var html = await response.Content.ReadAsStringAsync(cancel.Token);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"GET / answered {(int)response.StatusCode}.");
        var page = PrerenderedPage.Parse(html);
        if (page.Markers.Count == 0)
            throw new InvalidOperationException("GET / has no interactive server component marker (signed out?).");

        // 2. blazor.web.js connects to the hub with the page's cookies and the blazorpack protocol.
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(new Uri(baseUrl), "/_blazor"), HttpTransportType.WebSockets, options =>
            {
                options.Cookies = user.Cookies;
                // The WebSocket is opened directly, without the /_blazor/negotiate round trip blazor.web.js makes
                // first; the server keeps the same per-connection state either way.
                options.SkipNegotiation = true;
            })
            .ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                if (logs is not null)
                    logging.AddProvider(logs);
                logging.SetMinimumLevel(Trace ? LogLevel.Debug : LogLevel.Warning);
            });
        builder.Services.AddSingleton<IHubProtocol>(new BlazorPackProtocol());
        var hub = builder.Build();
        var circuit = new CircuitClient(hub);
        circuit.Register();
        try
        {
            await hub.StartAsync(cancel.Token);
            // 3. StartCircuit(baseUri, uri, components, state): a Blazor Web App starts with no components and
            //    adds the page's islands in its first UpdateRootComponents, which also carries the state.
            var baseUri = baseUrl.TrimEnd('/') + "/";
            var secret = await hub.InvokeAsync<string?>("StartCircuit", baseUri, baseUri, "[]", page.ApplicationState, cancel.Token);
            if (string.IsNullOrEmpty(secret))
                throw new InvalidOperationException("StartCircuit returned no circuit id: " + circuit.Error);
            await hub.SendAsync("UpdateRootComponents", page.AddOperations(), page.ApplicationState, cancel.Token);
            // 4. The server renders the bell into the circuit: the first render batch is the proof it is open.
            await circuit._firstRender.Task.WaitAsync(cancel.Token);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    private void Register()
    {
        _hub.On<long, byte[]>("JS.RenderBatch", async (batchId, batch) =>
        {
            Interlocked.Increment(ref _renderBatches);
            if (batch.AsSpan().IndexOf(BellId) >= 0)
                BellRendered = true;
            if (Trace)
                Console.WriteLine($"  [circuit] JS.RenderBatch #{batchId}: {batch.Length} bytes, bell markup: {batch.AsSpan().IndexOf(BellId) >= 0}");
            _firstRender.TrySetResult();
            await _hub.SendAsync("OnRenderCompleted", batchId, null);
        });
        // .NET 10: JS.BeginInvokeJS(asyncHandle, identifier, argsJson, resultType, targetInstanceId, callType).
        _hub.On("JS.BeginInvokeJS", [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)], async args =>
        {
            Interlocked.Increment(ref _jsCalls);
            var handle = (long)args[0]!;
            if (Trace)
                Console.WriteLine($"  [circuit] JS.BeginInvokeJS handle={handle} {args[1]} args={Shorten(args[2] as string)} resultType={args[3]} target={args[4]} callType={args[5]}");
            if (handle != 0)
                await _hub.SendAsync("EndInvokeJSFromDotNet", handle, true, $"[{handle},true,null]");
        });
        _hub.On<string>("JS.Error", error =>
        {
            Error = error;
            if (Trace)
                Console.WriteLine("  [circuit] JS.Error " + error);
            _firstRender.TrySetException(new InvalidOperationException("JS.Error: " + error));
        });
        _hub.On("JS.EndInvokeDotNet", [typeof(string), typeof(bool), typeof(string)], args =>
        {
            if (Trace)
                Console.WriteLine($"  [circuit] JS.EndInvokeDotNet {args[0]} {args[1]} {Shorten(args[2] as string)}");
            return Task.CompletedTask;
        });
        // Client-side bookkeeping in blazor.web.js (which DOM comment hosts which component, which operation batch
        // is done): nothing goes back to the server.
        _hub.On("JS.AttachComponent", [typeof(int), typeof(string)], _ => Task.CompletedTask);
        _hub.On("JS.EndUpdateRootComponents", [typeof(long)], _ => Task.CompletedTask);
        _hub.Closed += error =>
        {
            Closed = true;
            ClosedBy = error;
            _firstRender.TrySetException(error ?? new InvalidOperationException("The circuit's connection closed."));
            return Task.CompletedTask;
        };
    }

    private static string Shorten(string? text) => text is null ? "null" : text.Length > 160 ? text[..160] + "…" : text;

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _hub.StopAsync(cancel.Token);
        }
        catch (Exception error) when (error is OperationCanceledException or ObjectDisposedException or InvalidOperationException) { }
        await _hub.DisposeAsync();
    }
}

/// <summary>Writes the SignalR client's warnings and errors to the console, with a cap so that 10,000 failing
/// connections cannot flood it.</summary>
internal sealed class ConsoleLogs : ILoggerProvider
{
    private int _budget = 40;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(ConsoleLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= (CircuitClient.Trace ? LogLevel.Debug : LogLevel.Warning);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel) || Interlocked.Decrement(ref owner._budget) < 0)
                return;
            var name = category[(category.LastIndexOf('.') + 1)..];
            Console.WriteLine($"  [signalr {logLevel} {name}] {formatter(state, exception)}{(exception is null ? "" : " — " + exception.Message)}");
        }
    }
}
