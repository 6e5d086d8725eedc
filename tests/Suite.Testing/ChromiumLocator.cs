namespace Suite.Testing;

/// <summary>Debian's Chromium, as installed by build/test.sh, and the flags that make it work headless as root offline.</summary>
public static class ChromiumLocator
{
    /// <summary>Playwright adds --headless itself; pass a fresh --user-data-dir where a persistent profile is used.</summary>
    public static IReadOnlyList<string> LaunchArgs { get; } =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
    ];

    public static string ExecutablePath => Find(Environment.GetEnvironmentVariable("SUITE_TEST_CHROMIUM"));

    internal static string Find(string? configured)
    {
        var path = string.IsNullOrWhiteSpace(configured) ? "/usr/bin/chromium" : configured;
        return File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                $"Chromium not found at {path} (SUITE_TEST_CHROMIUM): run bash build/test.sh, which installs it.");
    }
}
