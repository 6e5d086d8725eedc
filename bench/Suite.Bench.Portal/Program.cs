using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Suite.Bench.Portal;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Options.Usage);
    return 0;
}
var root = RepositoryRoot();
Options options;
try
{
    options = Options.Parse(args, root);
}
catch (ArgumentException error)
{
    Console.Error.WriteLine(error.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}
Directory.CreateDirectory(Path.GetDirectoryName(options.Results)!);
// The portal is always started through taskset: a child inherits this process's affinity otherwise.
PortalProcess.AllCpus = $"0-{Environment.ProcessorCount - 1}";
if (options.ClientCpus is not null && RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
    Process.GetCurrentProcess().ProcessorAffinity = CpuMask(options.ClientCpus);
ThreadPool.SetMinThreads(64, 64);

Console.WriteLine($"Suite.Bench.Portal — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} CPUs visible to the client, " +
    $"portal {options.Portal} ({options.Environment}), portal CPUs {options.CircuitServerCpus ?? "all"} (circuits) / {options.ServerCpus ?? "all"} (home), client CPUs {options.ClientCpus ?? "all"}");

if (options.Mode == "check")
{
    await CircuitBench.CheckAsync(options);
    return 0;
}

var circuitRuns = new List<CircuitRun>();
var homeRuns = new List<HomeResult>();
foreach (var gc in options.Gc)
{
    for (var run = 1; run <= options.Runs; run++)
    {
        if (options.Mode is "all" or "circuits")
        {
            Console.WriteLine($"[circuits] {gc.Description}, run {run}/{options.Runs}");
            circuitRuns.Add(await CircuitBench.RunAsync(options, gc, run));
        }
        if (options.Mode is "all" or "home")
        {
            Console.WriteLine($"[home] {gc.Description}, run {run}/{options.Runs}");
            homeRuns.AddRange(await HomeBench.RunAsync(options, gc, run));
        }
        Save();
    }
}
Save();
var summary = Summary(options, circuitRuns, homeRuns);
Console.WriteLine();
Console.WriteLine(summary);
await File.WriteAllTextAsync(Path.ChangeExtension(options.Results, ".md"), summary);
Console.WriteLine($"Results: {options.Results} and {Path.ChangeExtension(options.Results, ".md")}");
return 0;

void Save() => File.WriteAllText(options.Results, JsonSerializer.Serialize(new { options = args, circuitRuns, homeRuns }, new JsonSerializerOptions { WriteIndented = true }));

static string Summary(Options options, List<CircuitRun> circuitRuns, List<HomeResult> homeRuns)
{
    var text = new StringBuilder();
    if (circuitRuns.Count > 0)
    {
        text.AppendLine($"Idle circuits (median of {options.Runs} run(s); RSS in MiB after settling; limit {options.MaxRssMiB:F0} MiB)");
        text.AppendLine();
        var steps = circuitRuns.SelectMany(r => r.Steps.Select(s => s.Circuits)).Distinct().Order().ToList();
        text.AppendLine($"| GC | baseline | {string.Join(" | ", steps.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} | KiB/circuit (slope) | max held ≤ limit | projected at limit | connected after {options.HoldSeconds} s idle | re-rendered by the bell's poll | portal CPU while idle |");
        text.AppendLine($"|---|---|{string.Concat(steps.Select(_ => "---|"))}---|---|---|---|---|---|");
        foreach (var group in circuitRuns.GroupBy(r => r.Gc))
        {
            var runs = group.ToList();
            var baseline = Median(runs.Select(r => r.BaselineMiB));
            var slope = Median(runs.Select(r => r.SlopeKiBPerCircuit));
            var cells = steps.Select(step =>
            {
                var values = runs.SelectMany(r => r.Steps.Where(s => s.Circuits == step).Select(s => s.RssMiB)).ToList();
                return values.Count == 0 ? "—" : Median(values).ToString("F0", CultureInfo.InvariantCulture);
            });
            var projected = (options.MaxRssMiB - baseline) / (slope / 1024);
            text.AppendLine($"| {group.Key} | {baseline:F0} | {string.Join(" | ", cells)} | {slope:F1} | {Median(runs.Select(r => (double)r.MaxHeldUnderLimit)):N0} | ~{projected:N0} " +
                $"| {string.Join(", ", runs.Select(r => $"{r.ConnectedAfterHold:N0}/{r.HeldAtEnd:N0}"))} | {string.Join(", ", runs.Select(r => $"{r.CircuitsRenderedDuringHold:N0}"))} " +
                $"| {Median(runs.Select(r => r.PortalCpuDuringHoldPercent)):F0} % |");
        }
        text.AppendLine();
        foreach (var run in circuitRuns.Where(r => r.StopReason is not null))
            text.AppendLine($"- {run.Gc} run {run.Run}: stopped: {run.StopReason}");
        foreach (var run in circuitRuns)
            text.AppendLine($"- {run.Gc} run {run.Run}: GC threads {run.GcThreads}; opening rate {string.Join(", ", run.Steps.Select(s => $"{s.Circuits:N0}@{s.OpenSeconds:F0}s"))}; failures {run.Steps.Sum(s => s.Failures)}; peak RSS {run.PeakRssMiB:F0} MiB; {run.PortalThreads} threads");
        text.AppendLine();
    }
    if (homeRuns.Count > 0)
    {
        text.AppendLine($"Signed-in home page GET / (median of {options.Runs} run(s), {options.DurationSeconds} s after {options.WarmupSeconds} s warm-up)");
        text.AppendLine();
        text.AppendLine("| GC | concurrency | req/s | p50 ms | p99 ms | errors | page bytes | portal CPU | client CPU |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in homeRuns.GroupBy(r => (r.Gc, r.Concurrency)))
        {
            var runs = group.ToList();
            text.AppendLine($"| {group.Key.Gc} | {group.Key.Concurrency} | {Median(runs.Select(r => r.RequestsPerSecond)):F0} ({string.Join(", ", runs.Select(r => r.RequestsPerSecond.ToString("F0", CultureInfo.InvariantCulture)))}) " +
                $"| {Median(runs.Select(r => r.P50Ms)):F1} | {Median(runs.Select(r => r.P99Ms)):F1} | {runs.Sum(r => r.Errors)} | {runs[0].PageBytes:N0} " +
                $"| {Median(runs.Select(r => r.PortalCpuPercent)):F0} % | {Median(runs.Select(r => r.ClientCpuPercent)):F0} % |");
        }
    }
    return text.ToString();
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
    if (sorted.Count == 0)
        return double.NaN;
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static nint CpuMask(string list)
{
    long mask = 0;
    foreach (var part in list.Split(','))
    {
        var range = part.Split('-');
        var from = int.Parse(range[0], CultureInfo.InvariantCulture);
        var to = range.Length > 1 ? int.Parse(range[1], CultureInfo.InvariantCulture) : from;
        for (var cpu = from; cpu <= to; cpu++)
            mask |= 1L << cpu;
    }
    return (nint)mask;
}

static string RepositoryRoot()
{
    foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
                return directory.FullName;
        }
    }
    return Directory.GetCurrentDirectory();
}
