using System.Diagnostics;
using System.Net;
using System.Text;

namespace Suite.Bench.Portal;

public sealed record HomeResult(string Gc, int Run, string GcThreads, int Concurrency, double RequestsPerSecond, double P50Ms, double P99Ms,
    long Requests, long Errors, double PortalCpuPercent, double ClientCpuPercent, int PageBytes, double RssMiB);

/// <summary>Closed-loop GETs of the signed-in home page at a fixed concurrency: only the server-rendered HTML (the
/// page a browser gets before it opens the bell's circuit), its size and content checked on every response.</summary>
public static class HomeBench
{
    private static readonly byte[] BellId = Encoding.UTF8.GetBytes("id=\"notifications-button\"");

    public static async Task<IReadOnlyList<HomeResult>> RunAsync(Options options, GcMode gc, int run)
    {
        await using var portal = await PortalProcess.StartAsync(options.Portal, options.Environment, gc, options.ServerCpus, options.LogLevel);
        var users = await PortalSetup.PrepareAsync(portal, 1, options.Concurrency.Max());
        Console.WriteLine($"  portal pid {portal.Pid} at {portal.BaseUrl}, CPUs {options.ServerCpus ?? "any"}; GC threads: {portal.GcThreads()}");
        try
        {
            var results = new List<HomeResult>();
            foreach (var concurrency in options.Concurrency)
            {
                await LoadAsync(users[0], concurrency, TimeSpan.FromSeconds(options.WarmupSeconds));
                var portalCpu = portal.CpuSeconds();
                var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var load = await LoadAsync(users[0], concurrency, TimeSpan.FromSeconds(options.DurationSeconds));
                var portalPercent = (portal.CpuSeconds() - portalCpu) / load.Seconds * 100;
                var clientPercent = (Process.GetCurrentProcess().TotalProcessorTime - clientCpu).TotalSeconds / load.Seconds * 100;
                var result = new HomeResult(gc.Name, run, portal.GcThreads(), concurrency, load.Requests / load.Seconds, Percentile(load.Latencies, 0.50),
                    Percentile(load.Latencies, 0.99), load.Requests, load.Errors, portalPercent, clientPercent, load.PageBytes, portal.Memory().Rss);
                Console.WriteLine($"  c={concurrency,3}: {result.RequestsPerSecond,7:F0} req/s, p50 {result.P50Ms:F1} ms, p99 {result.P99Ms:F1} ms, " +
                    $"{result.Errors} errors, page {result.PageBytes} B, portal CPU {portalPercent:F0} %, client CPU {clientPercent:F0} %, RSS {result.RssMiB:F0} MiB");
                results.Add(result);
            }
            return results;
        }
        catch
        {
            Console.WriteLine($"  portal log kept at {portal.KeepLog(Path.Combine(Path.GetDirectoryName(options.Results)!, "logs"))}");
            throw;
        }
        finally
        {
            foreach (var user in users)
                user.Dispose();
        }
    }

    private sealed record Load(long Requests, long Errors, double Seconds, List<double> Latencies, int PageBytes);

    private static async Task<Load> LoadAsync(FormClient user, int concurrency, TimeSpan duration)
    {
        long requests = 0, errors = 0;
        var pageBytes = 0;
        var perWorker = new List<double>[concurrency];
        var clock = Stopwatch.StartNew();
        var stopAt = duration.TotalSeconds;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var latencies = perWorker[worker] = new List<double>(capacity: 1 << 14);
            await Task.Yield();
            while (clock.Elapsed.TotalSeconds < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await user.Http.GetAsync("/", HttpCompletionOption.ResponseContentRead);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.StatusCode != HttpStatusCode.OK || body.AsSpan().IndexOf(BellId) < 0)
                        Interlocked.Increment(ref errors);
                    else
                        pageBytes = body.Length;
                    Interlocked.Increment(ref requests);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;
        var all = perWorker.SelectMany(l => l).ToList();
        all.Sort();
        return new Load(requests, errors, seconds, all, pageBytes);
    }

    private static double Percentile(List<double> sorted, double quantile) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(quantile * sorted.Count) - 1)];
}
