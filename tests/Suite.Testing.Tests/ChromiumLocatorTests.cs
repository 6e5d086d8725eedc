using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Suite.Testing.Tests;

public sealed class ChromiumLocatorTests
{
    [Fact]
    public async Task The_located_Chromium_runs()
    {
        var startInfo = new ProcessStartInfo(ChromiumLocator.ExecutablePath) { RedirectStandardOutput = true };
        startInfo.ArgumentList.Add("--version");
        using var chromium = Process.Start(startInfo)!;

        var output = await chromium.StandardOutput.ReadToEndAsync();
        await chromium.WaitForExitAsync();

        Assert.Equal(0, chromium.ExitCode);
        Assert.StartsWith("Chromium ", output);
    }

    [Fact]
    public void Launch_args_keep_Chromium_offline_and_sandbox_free()
    {
        Assert.Contains("--no-sandbox", ChromiumLocator.LaunchArgs);
        Assert.Contains("--disable-background-networking", ChromiumLocator.LaunchArgs);
        Assert.Contains("--use-fake-ui-for-media-stream", ChromiumLocator.LaunchArgs);
        Assert.DoesNotContain("--headless", ChromiumLocator.LaunchArgs);
    }

    [Fact]
    public void A_missing_Chromium_says_how_to_install_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ChromiumLocator.Find("/nonexistent/chromium"));

        Assert.Contains("bash build/test.sh", error.Message);
    }

    [Fact]
    public void A_free_port_can_be_bound()
    {
        var port = FreePort.Get();

        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();

        Assert.InRange(port, 1024, 65535);
    }
}
