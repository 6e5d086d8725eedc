using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Suite.Meetings.Media.Tests.RealPeer;

/// <summary>
/// Serves one page on 127.0.0.1 (a secure origin, so getUserMedia works) and runs headless Chromium on it with a fake
/// camera and microphone. Requests from the page go to a handler: (path, body) → response body, or null for 404.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<string, string, Task<string?>> _handler;
    private readonly string _page;
    private readonly string _profile = Directory.CreateTempSubdirectory("chromium-test-").FullName;
    private readonly Task _serving;
    private Process? _browser;

    public HeadlessChromium(string page, Func<string, string, Task<string?>> handler)
    {
        _page = page;
        _handler = handler;
        int port = FreeTcpPort();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Url = $"http://127.0.0.1:{port}/";
        _serving = Task.Run(ServeAsync);
    }

    public string Url { get; }

    public void Launch()
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", $"--user-data-dir={_profile}", "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection", Url,
        })
        {
            start.ArgumentList.Add(argument);
        }

        _browser = Process.Start(start) ?? throw new InvalidOperationException("Chromium did not start.");
        _browser.OutputDataReceived += (_, _) => { };
        _browser.ErrorDataReceived += (_, _) => { };
        _browser.BeginOutputReadLine();
        _browser.BeginErrorReadLine();
    }

    public void Dispose()
    {
        if (_browser is { HasExited: false })
        {
            _browser.Kill(entireProcessTree: true);
            _browser.WaitForExit(5000);
        }

        _browser?.Dispose();
        _listener.Close();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile; a temp folder left behind is harmless.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            string path = context.Request.Url!.AbsolutePath;
            string? response;
            if (path == "/")
            {
                response = _page;
                context.Response.ContentType = "text/html; charset=utf-8";
            }
            else
            {
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                response = await _handler(path, await reader.ReadToEndAsync());
            }

            context.Response.StatusCode = response is null ? 404 : 200;
            byte[] body = Encoding.UTF8.GetBytes(response ?? "");
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
