using System.Diagnostics;
using System.Text.Json;
using Microsoft.Playwright;

namespace Suite.E2E;

/// <summary>axe-core, the accessibility rules engine, injected into the page under test. It comes from npm, pinned by
/// axe/package-lock.json, and is installed into axe/node_modules (git-ignored) with <c>npm ci</c> the first time
/// a test needs it, so a fresh clone works offline afterwards. Pages send a strict Content-Security-Policy, so the
/// browser context that runs axe must be created with BypassCSP.</summary>
public static class Axe
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    public static string Folder => Path.Combine(Paths.ProjectDirectory, "axe");

    public static string ScriptPath => Path.Combine(Folder, "node_modules", "axe-core", "axe.min.js");

    public sealed record Violation(string Id, string Impact, string Help, IReadOnlyList<string> Targets)
    {
        public override string ToString() => $"{Impact} {Id} ({Help}): {string.Join(" | ", Targets)}";
    }

    public static async Task<string> EnsureInstalledAsync()
    {
        if (File.Exists(ScriptPath))
            return ScriptPath;
        await InstallGate.WaitAsync();
        try
        {
            if (!File.Exists(ScriptPath))
                await NpmCiAsync();
        }
        finally
        {
            InstallGate.Release();
        }
        return File.Exists(ScriptPath)
            ? ScriptPath
            : throw new InvalidOperationException($"npm ci in {Folder} did not install {ScriptPath}.");
    }

    /// <summary>Runs every axe rule on the page as it is now and returns the violations.</summary>
    public static async Task<IReadOnlyList<Violation>> AnalyzeAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = await EnsureInstalledAsync() });
        var result = await page.EvaluateAsync<JsonElement>("""
            async () => {
                const results = await axe.run(document, { resultTypes: ['violations'] });
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact ?? 'unknown', help: v.help,
                    targets: v.nodes.map(n => n.target.join(' ')),
                }));
            }
            """);
        return [.. result.EnumerateArray().Select(v => new Violation(
            v.GetProperty("id").GetString()!,
            v.GetProperty("impact").GetString()!,
            v.GetProperty("help").GetString()!,
            [.. v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!)]))];
    }

    private static async Task NpmCiAsync()
    {
        var start = new ProcessStartInfo("npm")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--ignore-scripts" })
            start.ArgumentList.Add(argument);
        using var npm = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm.");
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await npm.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            throw new TimeoutException($"npm ci in {Folder} took more than 5 minutes.");
        }
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"npm ci in {Folder} exited with {npm.ExitCode}:\n{await errors}\n{await output}");
    }
}
