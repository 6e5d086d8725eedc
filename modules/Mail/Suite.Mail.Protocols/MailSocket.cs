using System.Net.Sockets;

namespace Suite.Mail.Protocols;

/// <summary>The TCP connection both clients open: bounded by a timeout, failures turned into the client's own
/// connection exception.</summary>
internal static class MailSocket
{
    public static async Task<TcpClient> ConnectAsync(string host, int port, TimeSpan timeout, Func<string, Exception?, Exception> fail, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await tcp.ConnectAsync(host, port, deadline.Token).ConfigureAwait(false);
            return tcp;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw fail($"Could not connect to {host}:{port} within {timeout.TotalSeconds:0} s.", null);
        }
        catch (SocketException e)
        {
            tcp.Dispose();
            throw fail($"Could not connect to {host}:{port}: {e.Message}", e);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }
}
