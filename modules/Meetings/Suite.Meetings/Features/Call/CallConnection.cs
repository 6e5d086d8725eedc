using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Suite.Meetings.Features.Call;

/// <summary>
/// One browser's signalling socket. Sending never blocks the room: messages go through a bounded outbox drained by
/// a writer loop, and a browser that stops reading until the outbox is full is disconnected (it reconnects). Reading
/// enforces the frame size and a per-connection token bucket.
/// </summary>
internal sealed class CallConnection(WebSocket socket, ILogger logger, SignallingLimits limits, TimeProvider clock)
{
    private readonly Channel<byte[]> _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _closing = new();
    private double _tokens = limits.Burst;
    private long _lastRefill = clock.GetTimestamp();
    private long _lastRateWarning;
    private int _refusedInARow;
    private string _closeReason = "closed";
    private volatile bool _closed;

    public string Id { get; } = Guid.NewGuid().ToString("N")[..8];

    public void Send(object message) => SendRaw(JsonSerializer.SerializeToUtf8Bytes(message, CallProtocol.Json));

    public void SendRaw(byte[] utf8)
    {
        if (_closed)
            return;
        if (!_outbox.Writer.TryWrite(utf8))
        {
            logger.LogWarning("Signalling connection {Connection} does not read its messages: disconnected", Id);
            Close("too-slow");
        }
    }

    /// <summary>Sends what is queued, then a close frame with <paramref name="reason"/>.</summary>
    public void Close(string reason)
    {
        if (_closed)
            return;
        _closed = true;
        _closeReason = reason;
        _outbox.Writer.TryComplete();
    }

    public async Task WriteLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(cancellationToken))
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            if (socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, _closeReason, timeout.Token);
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug(error, "Signalling connection {Connection}: writing stopped", Id);
        }
        finally
        {
            // Let the browser answer the close frame (the reader then ends by itself): cancelling a pending receive
            // aborts the connection, and an abort can drop the last messages (a "removed" or an error) unsent.
            _closing.CancelAfter(TimeSpan.FromSeconds(2));
        }
    }

    /// <summary>The next text message, or null when the socket closed (or sent something that is not a text frame
    /// within the size limit, which closes it).</summary>
    public async Task<byte[]?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var message = new MemoryStream();
            while (true)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
                var result = await socket.ReceiveAsync(buffer, linked.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                    return null;
                if (result.MessageType != WebSocketMessageType.Text || message.Length + result.Count > CallProtocol.MaxMessageBytes)
                {
                    logger.LogWarning("Signalling connection {Connection}: binary or oversized frame, closing", Id);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "too-big", CancellationToken.None);
                    return null;
                }
                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                    return message.ToArray();
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Token bucket: <see cref="SignallingLimits.MessagesPerSecond"/> sustained, <see cref="SignallingLimits.Burst"/>
    /// at once. A refused message is answered (at most once a second) and a connection that keeps flooding is closed.</summary>
    public bool TryTake()
    {
        var now = clock.GetTimestamp();
        _tokens = Math.Min(limits.Burst, _tokens + clock.GetElapsedTime(_lastRefill, now).TotalSeconds * limits.MessagesPerSecond);
        _lastRefill = now;
        if (_tokens >= 1)
        {
            _tokens -= 1;
            _refusedInARow = 0;
            return true;
        }
        _refusedInARow++;
        if (clock.GetElapsedTime(_lastRateWarning, now) >= TimeSpan.FromSeconds(1))
        {
            _lastRateWarning = now;
            logger.LogWarning("Signalling connection {Connection} exceeds {Rate} messages per second", Id, limits.MessagesPerSecond);
            Send(new { type = "error", code = CallErrors.RateLimited });
        }
        if (_refusedInARow >= limits.Burst * 10)
            Close("flooding");
        return false;
    }
}

/// <summary><c>Meetings:Signalling:MessagesPerSecond</c> (default 20) and <c>Meetings:Signalling:Burst</c> (default 60).</summary>
internal sealed record SignallingLimits(int MessagesPerSecond, int Burst);
