using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Suite.Meetings.Media.Tests.RealPeer;

/// <summary>
/// A user-space UDP relay (there is no tc netem here) between browsers and the SFU: one listening port towards the
/// browsers, one upstream socket per browser address towards the SFU. A fraction of the SRTP/SRTCP datagrams (first
/// byte 128–191) is dropped in each direction; STUN and DTLS pass, so only media sees loss.
/// </summary>
internal sealed class LossyUdpRelay : IDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly double _lossRate;
    private readonly Random _random = new(20261123);
    private readonly ConcurrentDictionary<IPEndPoint, Socket> _upstreams = new();
    private readonly CancellationTokenSource _stop = new();
    private long _dropped;
    private long _relayed;

    public LossyUdpRelay(IPEndPoint target, double lossRate)
    {
        _target = target;
        _lossRate = lossRate;
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(ForwardFromBrowsersAsync);
    }

    public int Port => ((IPEndPoint)_front.LocalEndPoint!).Port;

    public long Dropped => Interlocked.Read(ref _dropped);

    public long Relayed => Interlocked.Read(ref _relayed);

    public void Dispose()
    {
        _stop.Cancel();
        _front.Dispose();
        foreach (Socket upstream in _upstreams.Values)
        {
            upstream.Dispose();
        }
    }

    private bool ShouldDrop(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length == 0 || datagram[0] < 128 || datagram[0] > 191)
        {
            return false;
        }

        lock (_random)
        {
            if (_random.NextDouble() >= _lossRate)
            {
                return false;
            }
        }

        Interlocked.Increment(ref _dropped);
        return true;
    }

    private async Task ForwardFromBrowsersAsync()
    {
        byte[] buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _front.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var browser = (IPEndPoint)received.RemoteEndPoint;
            Socket upstream = _upstreams.GetOrAdd(browser, StartUpstream);
            if (!ShouldDrop(buffer.AsSpan(0, received.ReceivedBytes)))
            {
                Interlocked.Increment(ref _relayed);
                await upstream.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, _target);
            }
        }
    }

    private Socket StartUpstream(IPEndPoint browser)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        upstream.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _ = Task.Run(async () =>
        {
            byte[] buffer = new byte[65536];
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    SocketReceiveFromResult received = await upstream.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
                    if (!ShouldDrop(buffer.AsSpan(0, received.ReceivedBytes)))
                    {
                        Interlocked.Increment(ref _relayed);
                        await _front.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, browser);
                    }
                }
                catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    if (_stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        });
        return upstream;
    }
}
