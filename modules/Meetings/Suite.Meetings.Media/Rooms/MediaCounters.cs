using System.Collections.Concurrent;

namespace Suite.Meetings.Media.Rooms;

/// <summary>A room's packet counters, written under its lock and read from anywhere.</summary>
internal sealed class MediaCounters
{
    private readonly ConcurrentDictionary<string, long> _drops = new(StringComparer.Ordinal);
    private long _packetsIn;
    private long _bytesIn;
    private long _packetsOut;
    private long _bytesOut;
    private long _nacksServed;
    private long _keyframeRequests;

    public void In(int length)
    {
        Interlocked.Increment(ref _packetsIn);
        Interlocked.Add(ref _bytesIn, length);
    }

    public void Out(int length)
    {
        Interlocked.Increment(ref _packetsOut);
        Interlocked.Add(ref _bytesOut, length);
    }

    public void Out(int packets, long bytes)
    {
        Interlocked.Add(ref _packetsOut, packets);
        Interlocked.Add(ref _bytesOut, bytes);
    }

    public void NackServed() => Interlocked.Increment(ref _nacksServed);

    public void KeyframeRequested() => Interlocked.Increment(ref _keyframeRequests);

    public void Drop(string reason) => _drops.AddOrUpdate(reason, 1, static (_, count) => count + 1);

    /// <summary>Adds a closed room's totals, so that server-wide counters never go backwards.</summary>
    public void Absorb(MediaMetrics metrics)
    {
        Interlocked.Add(ref _packetsIn, metrics.PacketsIn);
        Interlocked.Add(ref _bytesIn, metrics.BytesIn);
        Interlocked.Add(ref _packetsOut, metrics.PacketsOut);
        Interlocked.Add(ref _bytesOut, metrics.BytesOut);
        Interlocked.Add(ref _nacksServed, metrics.NacksServed);
        Interlocked.Add(ref _keyframeRequests, metrics.KeyframeRequests);
        foreach ((string reason, long count) in metrics.DroppedByReason)
        {
            _drops.AddOrUpdate(reason, count, (_, existing) => existing + count);
        }
    }

    public MediaMetrics Snapshot(long handshakesSucceeded = 0, long handshakesFailed = 0, IEnumerable<KeyValuePair<string, long>>? moreDrops = null)
    {
        var drops = new Dictionary<string, long>(_drops, StringComparer.Ordinal);
        foreach ((string reason, long count) in moreDrops ?? [])
        {
            drops[reason] = drops.GetValueOrDefault(reason) + count;
        }

        return new MediaMetrics(
            Interlocked.Read(ref _packetsIn), Interlocked.Read(ref _bytesIn), Interlocked.Read(ref _packetsOut), Interlocked.Read(ref _bytesOut),
            Interlocked.Read(ref _nacksServed), Interlocked.Read(ref _keyframeRequests), handshakesSucceeded, handshakesFailed, drops);
    }
}
