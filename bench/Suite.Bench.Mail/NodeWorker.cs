using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Suite.Bench.Mail;

/// <summary>The long-lived Node process of bench/mail/worker.mjs: one JSON request line in, one JSON answer line out.</summary>
internal sealed class NodeWorker : IAsyncDisposable
{
    private readonly Process _process;

    private NodeWorker(Process process) => _process = process;

    public static NodeWorker Start(string nodeDirectory)
    {
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { Path.Combine(nodeDirectory, "worker.mjs") },
            WorkingDirectory = nodeDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        return new NodeWorker(Process.Start(start) ?? throw new InvalidOperationException("Could not start node."));
    }

    public async Task<JsonObject> CallAsync(object request)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(request));
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The node worker exited.");
        var answer = JsonNode.Parse(line)!.AsObject();
        if (answer["error"] is { } error)
        {
            throw new InvalidOperationException("node worker: " + error);
        }

        return answer;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
