using System.Collections.Concurrent;
using System.Diagnostics;

namespace Suite.Bench.Portal;

public sealed record CircuitStep(int Circuits, double RssMiB, double OpenSeconds, int Failures);

public sealed record CircuitRun(
    string Gc, int Run, string GcThreads, double BaselineMiB, IReadOnlyList<CircuitStep> Steps, double SlopeKiBPerCircuit,
    int MaxHeldUnderLimit, bool LimitReached, string? StopReason, int HeldAtEnd, int ConnectedAfterHold, int ClosedDuringHold,
    int BellRendered, int CircuitsRenderedDuringHold, double RssAfterHoldMiB, double PortalCpuDuringHoldPercent, int HoldSeconds,
    int PortalThreads, double PeakRssMiB);

/// <summary>Opens idle interactive circuits against one fresh portal, step by step, reading the portal's RSS at each
/// step once it settles; then holds the last step idle and checks every circuit is still connected.</summary>
public static class CircuitBench
{
    public static async Task<CircuitRun> RunAsync(Options options, GcMode gc, int run)
    {
        await using var portal = await PortalProcess.StartAsync(options.Portal, options.Environment, gc, options.CircuitServerCpus, options.LogLevel);
        Console.WriteLine($"  portal pid {portal.Pid} at {portal.BaseUrl}, CPUs {options.CircuitServerCpus ?? "any"}");
        try
        {
            return await MeasureAsync(options, gc, run, portal);
        }
        catch
        {
            Console.WriteLine($"  portal log kept at {portal.KeepLog(Path.Combine(Path.GetDirectoryName(options.Results)!, "logs"))}");
            throw;
        }
    }

    private static async Task<CircuitRun> MeasureAsync(Options options, GcMode gc, int run, PortalProcess portal)
    {
        var users = await PortalSetup.PrepareAsync(portal, options.Agents, Math.Max(4, options.Parallel / options.Agents + 1));
        var circuits = new ConcurrentBag<CircuitClient>();
        using var logs = new ConsoleLogs();
        try
        {
            var baseline = await portal.SettledRssAsync(TimeSpan.FromSeconds(options.SettleSeconds));
            Console.WriteLine($"  baseline (signed in, 0 circuits): {baseline:F0} MiB");
            var steps = new List<CircuitStep>();
            var maxHeld = 0;
            var limitReached = false;
            string? stopReason = null;
            var opened = 0;
            var failures = 0;
            foreach (var target in options.Steps.Where(s => s > 0))
            {
                var clock = Stopwatch.StartNew();
                var before = opened;
                var stepFailures = await OpenAsync(portal, users, circuits, opened, target - opened, options.Parallel, logs);
                failures += stepFailures;
                opened = circuits.Count;
                var openSeconds = clock.Elapsed.TotalSeconds;
                var rss = await portal.SettledRssAsync(TimeSpan.FromSeconds(options.SettleSeconds));
                steps.Add(new CircuitStep(opened, rss, openSeconds, stepFailures));
                Console.WriteLine($"  {opened,6} circuits: RSS {rss,6:F0} MiB ({(opened == 0 ? 0 : (rss - baseline) * 1024 / opened),5:F1} KiB/circuit over baseline), opened in {openSeconds:F1} s, {stepFailures} failures");
                if (rss > options.MaxRssMiB)
                {
                    limitReached = true;
                    stopReason = $"RSS {rss:F0} MiB passed {options.MaxRssMiB:F0} MiB at {opened} circuits";
                    break;
                }
                maxHeld = opened;
                if (stepFailures > Math.Max(20, (target - before) / 100))
                {
                    stopReason = $"{stepFailures} circuits failed to open on the way to {target}";
                    break;
                }
            }

            // Hold idle: the bell's PeriodicTimer (60 s) re-renders every circuit once, which shows each one is alive.
            var batchesBefore = circuits.ToDictionary(c => c, c => c.RenderBatches);
            var cpuBefore = portal.CpuSeconds();
            var holdClock = Stopwatch.StartNew();
            Console.WriteLine($"  holding {circuits.Count} idle circuits for {options.HoldSeconds} s…");
            await Task.Delay(TimeSpan.FromSeconds(options.HoldSeconds));
            var cpuPercent = (portal.CpuSeconds() - cpuBefore) / holdClock.Elapsed.TotalSeconds * 100;
            var connected = circuits.Count(c => c.Connected);
            var closed = circuits.Count(c => c.Closed);
            var rendered = circuits.Count(c => c.RenderBatches > batchesBefore[c]);
            var bell = circuits.Count(c => c.BellRendered);
            var afterHold = portal.Memory();
            var threads = portal.Threads();
            Console.WriteLine($"  after hold: {connected}/{circuits.Count} connected, {closed} closed, {rendered} re-rendered by the bell's poll, " +
                $"RSS {afterHold.Rss:F0} MiB (peak {afterHold.Peak:F0}), portal CPU {cpuPercent:F0} % of one core, {threads} threads");
            var slope = Slope(baseline, steps);
            return new CircuitRun(gc.Name, run, portal.GcThreads(), baseline, steps, slope, maxHeld, limitReached, stopReason,
                circuits.Count, connected, closed, bell, rendered, afterHold.Rss, cpuPercent, options.HoldSeconds, threads, afterHold.Peak);
        }
        finally
        {
            await CloseAllAsync(circuits);
            foreach (var user in users)
                user.Dispose();
        }
    }

    private static async Task<int> OpenAsync(PortalProcess portal, IReadOnlyList<FormClient> users, ConcurrentBag<CircuitClient> circuits,
        int first, int count, int parallel, ConsoleLogs logs)
    {
        var failures = 0;
        var next = 0;
        string? firstError = null;
        var workers = Enumerable.Range(0, Math.Min(parallel, Math.Max(1, count))).Select(async _ =>
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next) - 1;
                if (index >= count)
                    return;
                var user = users[(first + index) % users.Count];
                try
                {
                    circuits.Add(await CircuitClient.OpenAsync(user, portal.BaseUrl, logs, TimeSpan.FromSeconds(60)));
                }
                catch (Exception error) when (error is not OutOfMemoryException)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstError, error.GetType().Name + ": " + error.Message, null);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        if (firstError is not null)
            Console.WriteLine($"  first failure: {firstError}");
        return failures;
    }

    public static async Task CloseAllAsync(ConcurrentBag<CircuitClient> circuits)
    {
        using var gate = new SemaphoreSlim(200);
        await Task.WhenAll(circuits.Select(async circuit =>
        {
            await gate.WaitAsync();
            try { await circuit.DisposeAsync(); }
            finally { gate.Release(); }
        }));
        circuits.Clear();
    }

    /// <summary>Least-squares slope of RSS over circuit count, in KiB per circuit, through the baseline and every
    /// step (the one-time cost of the first circuits — JIT, pools — lands in the intercept, not the slope).</summary>
    public static double Slope(double baseline, IReadOnlyList<CircuitStep> steps)
    {
        var points = steps.Select(s => (X: (double)s.Circuits, Y: s.RssMiB)).Prepend((0, baseline)).ToList();
        if (points.Count < 2)
            return double.NaN;
        var meanX = points.Average(p => p.X);
        var meanY = points.Average(p => p.Y);
        var numerator = points.Sum(p => (p.X - meanX) * (p.Y - meanY));
        var denominator = points.Sum(p => (p.X - meanX) * (p.X - meanX));
        return denominator == 0 ? double.NaN : numerator / denominator * 1024;
    }

    /// <summary>A single circuit with the protocol printed, held past the bell's 60 s poll: the protocol check.</summary>
    public static async Task CheckAsync(Options options)
    {
        CircuitClient.Trace = true;
        var gc = options.Gc[0];
        await using var portal = await PortalProcess.StartAsync(options.Portal, options.Environment, gc, options.CircuitServerCpus, options.LogLevel);
        Console.WriteLine($"portal pid {portal.Pid} at {portal.BaseUrl} ({options.Environment}, {gc.Description})");
        var users = await PortalSetup.PrepareAsync(portal, 1, 4);
        using var logs = new ConsoleLogs();
        var home = await users[0].GetAsync("/");
        var page = PrerenderedPage.Parse(home.Html);
        Console.WriteLine($"GET / → {(int)home.Status}, {home.Html.Length} chars, {page.Markers.Count} server marker(s), component state: {(page.ApplicationState.Length == 0 ? "none" : page.ApplicationState.Length + " chars")}");
        foreach (var marker in page.Markers)
            Console.WriteLine("  marker " + (marker.Length > 200 ? marker[..200] + "…" : marker));
        var stylesheet = home.Document.QuerySelector("link[rel=stylesheet]")?.GetAttribute("href");
        if (stylesheet is not null)
        {
            using var css = await users[0].Http.GetAsync("/" + stylesheet.TrimStart('/'));
            Console.WriteLine($"static asset /{stylesheet.TrimStart('/')} → {(int)css.StatusCode}");
        }
        using (var script = await users[0].Http.GetAsync("/_framework/blazor.web.js"))
            Console.WriteLine($"/_framework/blazor.web.js → {(int)script.StatusCode}");
        var before = portal.Memory().Rss;
        var circuit = await CircuitClient.OpenAsync(users[0], portal.BaseUrl, logs, TimeSpan.FromSeconds(60));
        Console.WriteLine($"circuit open: bell rendered in the circuit: {circuit.BellRendered}, {circuit.RenderBatches} render batch(es), {circuit.JsCalls} JS call(s)");
        Console.WriteLine("holding it idle for 65 s (the bell polls every 60 s; SignalR pings every 15 s)…");
        await Task.Delay(TimeSpan.FromSeconds(65));
        Console.WriteLine($"after 65 s: connected {circuit.Connected}, closed {circuit.Closed} {circuit.ClosedBy?.Message}, render batches {circuit.RenderBatches}, error {circuit.Error ?? "none"}; RSS {before:F0} → {portal.Memory().Rss:F0} MiB");
        await circuit.DisposeAsync();
        users[0].Dispose();
        Console.WriteLine($"GC threads of the portal: {portal.GcThreads()}");
        Console.WriteLine("portal log tail:\n" + portal.Tail(15));
    }
}
