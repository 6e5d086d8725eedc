using System.Globalization;

namespace Suite.Bench.Portal;

public sealed class Options
{
    public string Mode { get; private set; } = "all";
    public string Portal { get; private set; } = "";
    public string Environment { get; private set; } = "Production";
    public IReadOnlyList<GcMode> Gc { get; private set; } = [GcMode.Parse("ws"), GcMode.Parse("svr")];
    public int Runs { get; private set; } = 3;
    public IReadOnlyList<int> Steps { get; private set; } = [0, 500, 1000, 2000, 5000, 10000];
    public double MaxRssMiB { get; private set; } = 2048;
    public int Parallel { get; private set; } = 32;
    public int HoldSeconds { get; private set; } = 70;
    public int SettleSeconds { get; private set; } = 5;
    public IReadOnlyList<int> Concurrency { get; private set; } = [16, 64];
    public int WarmupSeconds { get; private set; } = 5;
    public int DurationSeconds { get; private set; } = 20;
    public string? ServerCpus { get; private set; } = "0";
    public string? CircuitServerCpus { get; private set; }
    public string? ClientCpus { get; private set; } = "1";
    public int Agents { get; private set; } = 4;
    public bool Trace { get; private set; }
    public string Results { get; private set; } = "";
    public string LogLevel { get; private set; } = "Warning";

    public const string Usage = """
        Suite.Bench.Portal — idle Blazor circuits and signed-in home page of the real portal (see bench/README.md)
          --mode all|circuits|home|check   what to measure (check: one circuit, traced, held 40 s)   [all]
          --portal DIR                     published portal (Suite.Web.dll)           [artifacts/bench/portal]
          --environment NAME               ASP.NET Core environment of the portal                 [Production]
          --gc LIST                        GC modes: ws, svr, svr-nodatas, ws-conserve, svr-conserve  [ws,svr]
          --runs N                         fresh portal per run; medians are reported                        [3]
          --steps LIST                     circuit counts where RSS is read         [0,500,1000,2000,5000,10000]
          --max-rss MIB                    stop raising circuits past this RSS                            [2048]
          --parallel N                     circuits being opened at once                                    [32]
          --hold S                         idle hold at the last step (the bell polls every 60 s)          [70]
          --settle S                       wait before reading RSS at a step (then until stable)             [5]
          --concurrency LIST               home page: concurrent requests                              [16,64]
          --warmup S / --duration S        home page: warm-up and measured seconds                     [5 / 20]
          --server-cpus LIST|none          home page: taskset CPU list of the portal                         [0]
          --circuit-server-cpus LIST|none  circuits: taskset CPU list of the portal (1 CPU = no Server GC) [none]
          --client-cpus LIST|none          CPU list of this load client                                      [1]
          --agents N                       signed-in users sharing the circuits round-robin                   [4]
          --results FILE                   JSON results              [artifacts/bench/portal-results-<utc>.json]
          --log-level LEVEL                portal log level                                            [Warning]
          --trace                          print the first circuit's protocol messages
        """;

    public static Options Parse(string[] args, string repositoryRoot)
    {
        var options = new Options
        {
            Portal = Path.Combine(repositoryRoot, "artifacts", "bench", "portal"),
            Results = Path.Combine(repositoryRoot, "artifacts", "bench", $"portal-results-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json"),
        };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--mode": options.Mode = Next(); break;
                case "--portal": options.Portal = Path.GetFullPath(Next()); break;
                case "--environment": options.Environment = Next(); break;
                case "--gc": options.Gc = Next().Split(',').Select(GcMode.Parse).ToList(); break;
                case "--runs": options.Runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--steps": options.Steps = Ints(Next()).Order().ToList(); break;
                case "--max-rss": options.MaxRssMiB = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--parallel": options.Parallel = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--hold": options.HoldSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--settle": options.SettleSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrency": options.Concurrency = Ints(Next()); break;
                case "--warmup": options.WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--duration": options.DurationSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--server-cpus": options.ServerCpus = Cpus(Next()); break;
                case "--circuit-server-cpus": options.CircuitServerCpus = Cpus(Next()); break;
                case "--client-cpus": options.ClientCpus = Cpus(Next()); break;
                case "--agents": options.Agents = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--results": options.Results = Path.GetFullPath(Next()); break;
                case "--log-level": options.LogLevel = Next(); break;
                case "--trace": options.Trace = true; break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        if (options.Mode is not ("all" or "circuits" or "home" or "check"))
            throw new ArgumentException($"--mode {options.Mode}: use all, circuits, home or check.");
        return options;
    }

    private static List<int> Ints(string list) => list.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();

    private static string? Cpus(string value) => value is "none" or "" ? null : value;
}
