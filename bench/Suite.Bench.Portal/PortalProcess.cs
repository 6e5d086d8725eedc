using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Suite.Bench.Portal;

/// <summary>A GC configuration of the portal process, applied through DOTNET_ environment variables (they take
/// precedence over the runtimeconfig.json of the build, whose Web SDK default is Server GC).</summary>
public sealed record GcMode(string Name, string Description, IReadOnlyDictionary<string, string> Environment)
{
    public static readonly IReadOnlyList<GcMode> Known =
    [
        new("ws", "workstation GC (DOTNET_gcServer=0)", new Dictionary<string, string> { ["DOTNET_gcServer"] = "0" }),
        new("svr", "server GC, DATAS on (the .NET 10 default for this app)", new Dictionary<string, string> { ["DOTNET_gcServer"] = "1" }),
        new("svr-nodatas", "server GC without DATAS (DOTNET_GCDynamicAdaptationMode=0)",
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCDynamicAdaptationMode"] = "0" }),
        new("ws-conserve", "workstation GC, DOTNET_GCConserveMemory=7",
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "0", ["DOTNET_GCConserveMemory"] = "7" }),
        new("svr-conserve", "server GC, DOTNET_GCConserveMemory=7",
            new Dictionary<string, string> { ["DOTNET_gcServer"] = "1", ["DOTNET_GCConserveMemory"] = "7" }),
    ];

    public static GcMode Parse(string name) => Known.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"Unknown GC mode '{name}': use one of {string.Join(", ", Known.Select(m => m.Name))}.");
}

/// <summary>The published portal started as a separate process on a loopback port with a fresh SQLite data folder,
/// optionally pinned to CPUs with taskset.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _stdout;
    private readonly Task _stderr;

    private PortalProcess(Process process, string baseUrl, string dataDirectory, StreamWriter log, string logPath)
    {
        _process = process;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        _log = log;
        LogPath = logPath;
        _stdout = PumpAsync(process.StandardOutput);
        _stderr = PumpAsync(process.StandardError);
    }

    /// <summary>Every CPU of the machine, as a taskset list (set before this process pins itself).</summary>
    public static string AllCpus { get; set; } = $"0-{System.Environment.ProcessorCount - 1}";

    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string Outbox => Path.Combine(DataDirectory, "outbox");
    public string LogPath { get; }
    public int Pid => _process.Id;

    public static async Task<PortalProcess> StartAsync(string portalDirectory, string environment, GcMode gc, string? cpus, string logLevel)
    {
        var dll = Path.Combine(portalDirectory, "Suite.Web.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"The published portal is not at {dll}: run bench/portal.sh, or dotnet publish src/Suite.Web -c Release -o {portalDirectory}.");
        var data = Directory.CreateTempSubdirectory("suite-bench-").FullName;
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        var portalArgs = new List<string>
        {
            dll, "--urls", baseUrl, "--environment", environment,
            "--Suite:DataDirectory=" + data,
            // appsettings.Production.json names PostgreSQL; the benchmark uses the embedded SQLite default.
            "--Suite:Database:Provider=Sqlite",
            "--ConnectionStrings:Default=Data Source={data}/suite-{module}.db",
            "--Suite:RateLimits:SignInPerMinute=100000",
            "--Logging:LogLevel:Default=" + logLevel,
            "--Logging:LogLevel:Microsoft.AspNetCore=" + logLevel,
        };
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = portalDirectory,
        };
        // taskset execs dotnet, so the process id stays the portal's. Without a CPU list the portal still gets every
        // CPU explicitly, since it would otherwise inherit the load client's own pinning.
        start.FileName = "taskset";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(cpus ?? AllCpus);
        start.ArgumentList.Add("dotnet");
        foreach (var arg in portalArgs)
            start.ArgumentList.Add(arg);
        foreach (var (key, value) in gc.Environment)
            start.Environment[key] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var logPath = Path.Combine(data, "portal.log");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The portal did not start.");
        var portal = new PortalProcess(process, baseUrl, data, log, logPath);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The portal exited with {process.ExitCode}; see {logPath}:\n{portal.Tail()}");
            try
            {
                using var response = await http.GetAsync(baseUrl + "/health");
                if (response.StatusCode == HttpStatusCode.OK)
                    return portal;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(250);
        }
        await portal.DisposeAsync();
        throw new TimeoutException($"The portal did not answer /health within 90 s; see {logPath}.");
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_log)
                _log.WriteLine(line);
        }
    }

    public string Tail(int lines = 30)
    {
        lock (_log)
        {
            try
            {
                using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                var all = reader.ReadToEnd().Split('\n');
                return string.Join('\n', all.TakeLast(lines));
            }
            catch (IOException error)
            {
                return error.Message;
            }
        }
    }

    /// <summary>VmRSS and VmHWM of the portal, in MiB, from /proc/&lt;pid&gt;/status.</summary>
    public (double Rss, double Peak) Memory()
    {
        double rss = 0, hwm = 0;
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                rss = Kilobytes(line) / 1024.0;
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                hwm = Kilobytes(line) / 1024.0;
        }
        return (rss, hwm);
    }

    /// <summary>Waits until RSS moves by less than 1 % over 2 s (at least <paramref name="minimum"/>, at most 30 s).</summary>
    public async Task<double> SettledRssAsync(TimeSpan minimum)
    {
        await Task.Delay(minimum);
        var previous = Memory().Rss;
        for (var i = 0; i < 14; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            var now = Memory().Rss;
            if (Math.Abs(now - previous) <= previous * 0.01)
                return now;
            previous = now;
        }
        return previous;
    }

    /// <summary>Thread names of the runtime's GC workers, which tell which GC the portal really runs
    /// (".NET Server GC" threads exist only under Server GC).</summary>
    public string GcThreads()
    {
        var names = new Dictionary<string, int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{Pid}/task"))
            {
                string comm;
                try { comm = File.ReadAllText(Path.Combine(task, "comm")).Trim(); }
                catch (IOException) { continue; }
                if (comm.Contains("GC", StringComparison.Ordinal))
                    names[comm] = names.GetValueOrDefault(comm) + 1;
            }
        }
        catch (IOException) { }
        return names.Count == 0 ? "no GC threads (workstation, non-concurrent)" : string.Join(", ", names.OrderBy(n => n.Key).Select(n => $"{n.Value}× '{n.Key}'"));
    }

    public int Threads() => Directory.EnumerateDirectories($"/proc/{Pid}/task").Count();

    /// <summary>user+system CPU seconds consumed by the portal so far.</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // fields[11] = utime, fields[12] = stime (clock ticks, 100 Hz on Linux)
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / 100.0;
    }

    private static double Kilobytes(string line) => double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        await Task.WhenAll(_stdout, _stderr).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { });
        lock (_log)
            _log.Dispose();
        _process.Dispose();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Keeps the portal's log when a run went wrong (the data folder is deleted on dispose).</summary>
    public string KeepLog(string directory)
    {
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, $"portal-{Pid}.log");
        lock (_log)
            File.Copy(LogPath, target, overwrite: true);
        return target;
    }
}
