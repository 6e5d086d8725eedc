using System.Globalization;
using System.Text;
using System.Text.Json;
using Suite.Bench.Mail;
using Suite.Mail.Protocols;
using Suite.Testing.Mail;

// Mail engine benchmark: our MIME parser vs Node's mailparser, our IMAP client vs imapflow, same machine, same run,
// alternating rounds. See bench/README.md ("Suite.Bench.Mail") and bench/mail.sh, which installs what is needed.
Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.WriteLine(BenchOptions.Help);
    return 2;
}

Directory.CreateDirectory(options.Work);
Directory.CreateDirectory(options.Results);
var report = new Report(options);
report.Line($"# mail bench {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC — nproc {Environment.ProcessorCount}, {Machine.CpuModel()}, .NET {Environment.Version}, node {Machine.NodeVersion()}");
if (options.Mode == "mime-profile")
{
    var files = (await File.ReadAllLinesAsync(Path.Combine(options.Work, "mime", "list.txt"))).Where(l => l.Length > 0).ToList();
    await MimeWork.ProfileAsync(files, options.Rounds);
    return 0;
}

if (options.Mode is "imap-replay")
{
    var recordedSession = await File.ReadAllBytesAsync(Path.Combine(options.Work, "imap-session.bin"));
    await ImapReplay.BreakdownAsync(recordedSession, options.Rounds);
    await ImapReplay.ReplayAsync(recordedSession, options.Rounds, "user", "password");
    return 0;
}

await using var node = NodeWorker.Start(options.NodeDirectory);

if (options.Mode is "all" or "mime")
{
    await MimeSection.RunAsync(options, node, report);
}

if (options.Mode is "all" or "imap" or "imap-profile")
{
    await ImapSection.RunAsync(options, node, report);
}

report.Save();
return 0;

internal sealed record BenchOptions(string Mode, int Rounds, string Work, string Results, string NodeDirectory, int MimeMessages, int MimeMaxAttachmentKb, int ImapMessages, int ImapMaxAttachmentKb)
{
    public const string Help = """
        Suite.Bench.Mail [--mode all|mime|imap|mime-profile|imap-profile|imap-replay] [--rounds 5] [--work artifacts/bench/mail-work] [--results artifacts/bench]
                         [--node-dir bench/mail] [--mime-messages 1000] [--mime-max-attachment-kb 400]
                         [--imap-messages 10000] [--imap-max-attachment-kb 48]
        Needs root, Postfix and Dovecot for --mode imap (bench/mail.sh installs them) and `npm install` in --node-dir.
        bench/mail.sh --priority: runs all of it (harness, Node worker, Dovecot) in its own scheduler autogroup at -15.
        --mode imap prints a per-phase table of the first page (tcp, greeting, starttls, tls, capability, login or
        authenticate, id, namespace, enable, select, search, fetch) for both clients, from the same samples.
        mime-profile: Stopwatch/CPU breakdown of our MIME side on the generated corpus (run --mode mime once first).
        imap-profile: records one plain-text sync session from Dovecot into <work>/imap-session.bin, then replays it
                      from memory to our client (client CPU alone); imap-replay: replays the saved session again.
        """;

    public static BenchOptions? Parse(string[] args)
    {
        var o = new BenchOptions("all", 5, "artifacts/bench/mail-work", "artifacts/bench", "bench/mail", 1000, 400, 10_000, 48);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException("missing value for " + args[i]);
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--mode": o = o with { Mode = Next() }; break;
                case "--rounds": o = o with { Rounds = NextInt() }; break;
                case "--work": o = o with { Work = Next() }; break;
                case "--results": o = o with { Results = Next() }; break;
                case "--node-dir": o = o with { NodeDirectory = Next() }; break;
                case "--mime-messages": o = o with { MimeMessages = NextInt() }; break;
                case "--mime-max-attachment-kb": o = o with { MimeMaxAttachmentKb = NextInt() }; break;
                case "--imap-messages": o = o with { ImapMessages = NextInt() }; break;
                case "--imap-max-attachment-kb": o = o with { ImapMaxAttachmentKb = NextInt() }; break;
                default: return null;
            }
        }

        return o.Mode is "all" or "mime" or "imap" or "mime-profile" or "imap-profile" or "imap-replay" ? o with { NodeDirectory = Path.GetFullPath(o.NodeDirectory), Work = Path.GetFullPath(o.Work) } : null;
    }
}

/// <summary>Printed lines and figures, saved as artifacts/bench/mail-results-&lt;utc&gt;.md and .json.</summary>
internal sealed class Report(BenchOptions options)
{
    private readonly StringBuilder _text = new();
    private readonly Dictionary<string, object> _figures = [];

    public void Line(string text)
    {
        Console.WriteLine(text);
        _text.AppendLine(text);
    }

    public void Figure(string name, object value) => _figures[name] = value;

    public void Save()
    {
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var basePath = Path.Combine(options.Results, "mail-results-" + stamp);
        File.WriteAllText(basePath + ".md", _text.ToString());
        File.WriteAllText(basePath + ".json", JsonSerializer.Serialize(_figures, new JsonSerializerOptions { WriteIndented = true }));
        Console.WriteLine($"results: {basePath}.md / .json");
    }
}

internal static class Stats
{
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Range(IReadOnlyList<double> values) =>
        string.Create(CultureInfo.InvariantCulture, $"{values.Min():0.0}–{values.Max():0.0}");

    public static string Spread(IReadOnlyList<double> values, string format) =>
        string.Join(", ", values.Select(v => v.ToString(format, CultureInfo.InvariantCulture)));
}

internal static class Machine
{
    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";

    public static string NodeVersion()
    {
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("node", "--version") { RedirectStandardOutput = true });
        var version = process!.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return version;
    }

    public static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    /// <summary>(busy, steal, total) jiffies of all CPUs, from /proc/stat.</summary>
    public static (long Steal, long Total) CpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        return (fields.Length > 7 ? fields[7] : 0, fields.Sum());
    }

    public static double StealPercent((long Steal, long Total) before, (long Steal, long Total) after) =>
        after.Total == before.Total ? 0 : 100.0 * (after.Steal - before.Steal) / (after.Total - before.Total);
}

internal static class MimeSection
{
    private const int Seed = 20261123;

    public static async Task RunAsync(BenchOptions options, NodeWorker node, Report report)
    {
        var (files, listFile, bytes) = await EnsureCorpusAsync(options, report);
        report.Line("");
        report.Line($"## MIME parse: {files.Count} messages, {bytes / 1e6:0.0} MB, {options.Rounds} rounds (+1 warm-up each), alternating order");
        var ours = new List<MimePass>();
        var theirs = new List<double>();
        var theirsCpu = new List<double>();
        var steal = Machine.CpuTimes();
        MimePass? oursFirst = null;
        System.Text.Json.Nodes.JsonObject? theirsFirst = null;
        for (var round = 0; round <= options.Rounds; round++)
        {
            for (var turn = 0; turn < 2; turn++)
            {
                var oursTurn = (turn == 0) == (round % 2 == 0);
                if (oursTurn)
                {
                    var pass = await MimeWork.RunAsync(files);
                    oursFirst ??= pass;
                    if (round > 0)
                    {
                        ours.Add(pass);
                    }

                    report.Line($"  round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: Suite.Mail.Protocols {pass.Ms,8:0.0} ms  {pass.Bytes / 1e3 / pass.Ms,7:0.0} MB/s  (CPU {pass.CpuMs:0} ms)");
                }
                else
                {
                    var answer = await node.CallAsync(new { op = "mime", list = listFile });
                    theirsFirst ??= answer;
                    var ms = (double)answer["ms"]!;
                    var cpuMs = (double)answer["cpuMs"]!;
                    if (round > 0)
                    {
                        theirs.Add(ms);
                        theirsCpu.Add(cpuMs);
                    }

                    report.Line($"  round {round}{(round == 0 ? " (warm-up)" : string.Empty)}: mailparser           {ms,8:0.0} ms  {(long)answer["bytes"]! / 1e3 / ms,7:0.0} MB/s  (CPU {cpuMs:0} ms)");
                }
            }
        }

        var stealPercent = Machine.StealPercent(steal, Machine.CpuTimes());
        var oursMs = Stats.Median(ours.Select(p => p.Ms).ToList());
        var theirsMs = Stats.Median(theirs);
        var oursRate = bytes / 1e3 / oursMs;
        var theirsRate = bytes / 1e3 / theirsMs;
        report.Line($"  work check — ours: {oursFirst!.Attachments} non-body parts, {oursFirst.AttachmentBytes / 1e6:0.0} MB decoded, {oursFirst.TextChars / 1e6:0.00} M text chars, {oursFirst.Headers} top-level headers");
        report.Line($"               mailparser: {theirsFirst!["attachments"]} attachments, {(long)theirsFirst["attachmentBytes"]! / 1e6:0.0} MB decoded, {(long)theirsFirst["textChars"]! / 1e6:0.00} M text chars, {theirsFirst["headers"]} top-level headers");
        report.Line($"  median: Suite.Mail.Protocols {oursRate:0.0} MB/s ({oursMs:0} ms; {Stats.Spread(ours.Select(p => p.Ms).ToList(), "0")}), mailparser {theirsRate:0.0} MB/s ({theirsMs:0} ms; {Stats.Spread(theirs, "0")})");
        var oursCpuMs = Stats.Median(ours.Select(p => p.CpuMs).ToList());
        var theirsCpuMs = Stats.Median(theirsCpu);
        report.Line($"  median CPU time: Suite.Mail.Protocols {oursCpuMs:0} ms ({bytes / 1e3 / oursCpuMs:0.0} MB per CPU-s), mailparser {theirsCpuMs:0} ms ({bytes / 1e3 / theirsCpuMs:0.0} MB per CPU-s)");
        report.Line($"  ratio: {theirsMs / oursMs:0.00}x wall, {theirsCpuMs / oursCpuMs:0.00}x CPU (goal ≥ 3x) — CPU steal during the section {stealPercent:0.0} %, load average {Machine.LoadAverage()}");
        report.Figure("mime", new { files = files.Count, bytes, oursMedianMs = oursMs, oursCpuMs, mailparserCpuMs = theirsCpuMs, cpuRatio = theirsCpuMs / oursCpuMs, oursMBps = oursRate, mailparserMedianMs = theirsMs, mailparserMBps = theirsRate, ratio = theirsMs / oursMs, oursRounds = ours.Select(p => p.Ms), mailparserRounds = theirs, stealPercent });
    }

    private static async Task<(List<string> Files, string ListFile, long Bytes)> EnsureCorpusAsync(BenchOptions options, Report report)
    {
        var directory = Path.Combine(options.Work, "mime");
        var stamp = Path.Combine(directory, "corpus.txt");
        var listFile = Path.Combine(directory, "list.txt");
        var expected = $"seed {Seed}, {options.MimeMessages} messages, attachments up to {options.MimeMaxAttachmentKb} KiB";
        if (!File.Exists(stamp) || File.ReadAllText(stamp) != expected)
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }

            Directory.CreateDirectory(directory);
            var generator = new CorpusGenerator(Seed, options.MimeMaxAttachmentKb * 1024);
            var kinds = new Dictionary<CorpusGenerator.Kind, int>();
            var paths = new List<string>();
            for (var i = 1; i <= options.MimeMessages; i++)
            {
                var (bytes, _, kind) = generator.Next();
                kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                var path = Path.Combine(directory, i.ToString("D5", CultureInfo.InvariantCulture) + ".eml");
                await File.WriteAllBytesAsync(path, bytes);
                paths.Add(path);
            }

            await File.WriteAllLinesAsync(listFile, paths);
            await File.WriteAllTextAsync(stamp, expected);
            report.Line($"corpus generated in {directory}: " + string.Join(", ", kinds.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}")));
        }

        var files = (await File.ReadAllLinesAsync(listFile)).Where(l => l.Length > 0).ToList();
        return (files, listFile, files.Sum(f => new FileInfo(f).Length));
    }
}

internal static class ImapSection
{
    private const int Seed = 5;

    /// <summary>First-page samples per side and round: each is cheap and noisy, so take several.</summary>
    private const int FirstPageRepeats = 3;

    public static async Task RunAsync(BenchOptions options, NodeWorker node, Report report)
    {
        var fixture = new MailServerFixture();
        await fixture.InitializeAsync();
        try
        {
            var user = fixture.NextUser();
            var fill = System.Diagnostics.Stopwatch.StartNew();
            var (count, bytes) = await MaildirFiller.FillAsync(Path.Combine(fixture.Root, "mail"), user.Address, options.ImapMessages, Seed, options.ImapMaxAttachmentKb * 1024);
            report.Line("");
            report.Line($"## IMAP on the throwaway Dovecot (STARTTLS, loopback): INBOX of {count} messages, {bytes / 1e6:0.0} MB, written as Maildir files in {fill.Elapsed.TotalSeconds:0.0} s");
            var imap = fixture.ImapOptions(MailTlsMode.StartTls, TimeSpan.FromMinutes(5));
            var request = new { host = "127.0.0.1", port = fixture.ImapPort, user = user.Address, pass = user.Password, ca = fixture.Certificate.ExportCertificatePem() };

            var index = System.Diagnostics.Stopwatch.StartNew();
            var indexing = await ImapWork.SyncAsync(imap, user.Address, user.Password);
            report.Line($"  first SELECT + full header fetch (Dovecot indexes and caches the folder; not counted): {index.Elapsed.TotalSeconds:0.0} s, {indexing.Count} messages");
            if (options.Mode == "imap-profile")
            {
                var recorded = await ImapReplay.RecordAsync(fixture.ImapPort, user.Address, user.Password);
                await File.WriteAllBytesAsync(Path.Combine(options.Work, "imap-session.bin"), recorded);
                await ImapReplay.ReplayAsync(recorded, options.Rounds, user.Address, user.Password);
                return;
            }

            var firstOurs = new List<double>();
            var firstTheirs = new List<double>();
            var connectOurs = new List<double>();
            var connectTheirs = new List<double>();
            var syncOurs = new List<double>();
            var syncTheirs = new List<double>();
            var syncCpuOurs = new List<double>();
            var syncCpuTheirs = new List<double>();
            var firstCpuOurs = new List<double>();
            var firstCpuTheirs = new List<double>();
            var phasesOurs = new Dictionary<string, List<double>>();
            var phasesTheirs = new Dictionary<string, List<double>>();
            string? tlsOurs = null;
            string? tlsTheirs = null;
            var steal = Machine.CpuTimes();
            for (var round = 0; round <= options.Rounds; round++)
            {
                var label = round == 0 ? $"round {round} (warm-up)" : $"round {round}";
                for (var turn = 0; turn < 2; turn++)
                {
                    if ((turn == 0) == (round % 2 == 0))
                    {
                        for (var k = 0; k < FirstPageRepeats; k++)
                        {
                            var first = await ImapWork.FirstPageAsync(imap, user.Address, user.Password);
                            report.Line($"  {label}: Suite.Mail.Protocols first page {first.Ms,6:0.0} ms (CPU {first.CpuMs,5:0.0}; {first.Steps})");
                            if (round > 0)
                            {
                                firstOurs.Add(first.Ms);
                                connectOurs.Add(first.ConnectMs);
                                firstCpuOurs.Add(first.CpuMs);
                                PhaseTable.Add(phasesOurs, first.Phases);
                            }

                            tlsOurs ??= first.Tls;
                        }

                        var sync = await ImapWork.SyncAsync(imap, user.Address, user.Password);
                        report.Line($"  {label}: Suite.Mail.Protocols sync {sync.Ms,6:0} ms (CPU {sync.CpuMs,5:0}; {sync.Count} msgs, {sync.Seen} seen)");
                        if (round > 0)
                        {
                            syncOurs.Add(sync.Ms);
                            syncCpuOurs.Add(sync.CpuMs);
                        }
                    }
                    else
                    {
                        for (var k = 0; k < FirstPageRepeats; k++)
                        {
                            var first = await node.CallAsync(new { op = "imap-first", request.host, request.port, request.user, request.pass, request.ca });
                            report.Line($"  {label}: imapflow             first page {(double)first["ms"]!,6:0.0} ms (CPU {(double)first["cpuMs"]!,5:0.0}; {first["steps"]})");
                            if (round > 0)
                            {
                                firstTheirs.Add((double)first["ms"]!);
                                connectTheirs.Add((double)first["connectMs"]!);
                                firstCpuTheirs.Add((double)first["cpuMs"]!);
                                PhaseTable.Add(phasesTheirs, first["phases"]!.AsObject().ToDictionary(p => p.Key, p => (double)p.Value!));
                            }

                            tlsTheirs ??= (string?)first["tls"];
                        }

                        var sync = await node.CallAsync(new { op = "imap-sync", request.host, request.port, request.user, request.pass, request.ca });
                        report.Line($"  {label}: imapflow             sync {(double)sync["ms"]!,6:0} ms (CPU {(double)sync["cpuMs"]!,5:0}; {sync["count"]} msgs, {sync["seen"]} seen)");
                        if (round > 0)
                        {
                            syncTheirs.Add((double)sync["ms"]!);
                            syncCpuTheirs.Add((double)sync["cpuMs"]!);
                        }
                    }
                }
            }

            var stealPercent = Machine.StealPercent(steal, Machine.CpuTimes());
            var f1 = Stats.Median(firstOurs);
            var f2 = Stats.Median(firstTheirs);
            var s1 = Stats.Median(syncOurs);
            var s2 = Stats.Median(syncTheirs);
            report.Line($"  first page: {firstOurs.Count} samples per side ({FirstPageRepeats} per round)");
            report.Line($"  median first page: Suite.Mail.Protocols {f1:0.0} ms (connect+STARTTLS+login {Stats.Median(connectOurs):0.0}; range {Stats.Range(firstOurs)}), imapflow {f2:0.0} ms (connect+STARTTLS+login {Stats.Median(connectTheirs):0.0}; range {Stats.Range(firstTheirs)}) — ratio {f2 / f1:0.00}x");
            report.Line($"  TLS negotiated: Suite.Mail.Protocols {tlsOurs}; imapflow {tlsTheirs}");
            PhaseTable.Print(report, phasesOurs, phasesTheirs, firstOurs.Count);
            report.Line($"  median first page client CPU: Suite.Mail.Protocols {Stats.Median(firstCpuOurs):0.0} ms, imapflow {Stats.Median(firstCpuTheirs):0.0} ms");
            report.Line($"  median header sync of {count}: Suite.Mail.Protocols {s1:0} ms ({Stats.Spread(syncOurs, "0")}), imapflow {s2:0} ms ({Stats.Spread(syncTheirs, "0")}) — ratio {s2 / s1:0.00}x");
            report.Line($"  median header sync client CPU: Suite.Mail.Protocols {Stats.Median(syncCpuOurs):0} ms, imapflow {Stats.Median(syncCpuTheirs):0} ms — ratio {Stats.Median(syncCpuTheirs) / Stats.Median(syncCpuOurs):0.00}x");
            report.Line($"  CPU steal during the section {stealPercent:0.0} %, load average {Machine.LoadAverage()}");
            report.Figure("imap", new { messages = count, bytes, firstPageOursMs = f1, firstPageImapflowMs = f2, firstPageRatio = f2 / f1, syncOursMs = s1, syncImapflowMs = s2, syncRatio = s2 / s1, firstOurs, firstTheirs, syncOurs, syncTheirs, connectOurs, connectTheirs, firstCpuOurs, firstCpuTheirs, phasesOurs, phasesTheirs, tlsOurs, tlsTheirs, syncCpuOurs, syncCpuTheirs, stealPercent });
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}

/// <summary>Per-phase medians of the first page, both clients side by side (a phase one client does not have is "—").</summary>
internal static class PhaseTable
{
    private static readonly string[] Order = ["tcp", "greeting", "capability", "starttls", "tls", "id", "login", "namespace", "compress", "enable", "select", "search", "fetch", "other"];

    public static void Add(Dictionary<string, List<double>> table, IReadOnlyDictionary<string, double> sample)
    {
        foreach (var (name, ms) in sample)
        {
            if (!table.TryGetValue(name, out var list))
            {
                table[name] = list = [];
            }

            list.Add(ms);
        }
    }

    public static void Print(Report report, Dictionary<string, List<double>> ours, Dictionary<string, List<double>> theirs, int samples)
    {
        report.Line("");
        report.Line("  | phase (median ms; samples where it occurs) | Suite.Mail.Protocols | imapflow |");
        report.Line("  |---|---|---|");
        var names = Order.Where(n => ours.ContainsKey(n) || theirs.ContainsKey(n)).Concat(ours.Keys.Concat(theirs.Keys).Distinct().Where(n => !Order.Contains(n)));
        foreach (var name in names)
        {
            report.Line($"  | {name} | {Cell(ours, name, samples)} | {Cell(theirs, name, samples)} |");
        }

        report.Line($"  | sum of the per-sample medians | {ours.Values.Sum(v => Stats.Median(v) * v.Count / samples):0.0} | {theirs.Values.Sum(v => Stats.Median(v) * v.Count / samples):0.0} |");
        report.Line("");
    }

    private static string Cell(Dictionary<string, List<double>> table, string name, int samples) =>
        table.TryGetValue(name, out var values) ? string.Create(CultureInfo.InvariantCulture, $"{Stats.Median(values):0.00}{(values.Count == samples ? string.Empty : $" ({values.Count})")}") : "—";
}
