using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Rooms;

/// <summary>The embedded SFU: the shared UDP transport, the rooms, and one timer driving their periodic work.</summary>
internal sealed class MediaServer : IMediaServer
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    private readonly MediaServerOptions _options;
    private readonly UdpMediaTransport _transport;
    private readonly ConcurrentDictionary<string, MediaRoom> _rooms = new(StringComparer.Ordinal);
    private readonly MediaCounters _closedRoomCounters = new();
    private readonly Timer _timer;
    private long _ticks;
    private int _ticking;

    private MediaServer(MediaServerOptions options, UdpMediaTransport transport)
    {
        _options = options;
        _transport = transport;
        _timer = new Timer(_ => Tick(), null, TickInterval, TickInterval);
    }

    public IPEndPoint LocalEndPoint => _transport.LocalEndPoint;

    public IReadOnlyCollection<IMediaRoom> Rooms => _rooms.Values.ToList();

    public MediaMetrics Metrics
    {
        get
        {
            var drops = new Dictionary<string, long>(StringComparer.Ordinal);
            long packetsIn = 0, bytesIn = 0, packetsOut = 0, bytesOut = 0, nacks = 0, keyframes = 0;
            foreach (MediaMetrics room in _rooms.Values.Select(room => room.Metrics).Append(_closedRoomCounters.Snapshot()))
            {
                packetsIn += room.PacketsIn;
                bytesIn += room.BytesIn;
                packetsOut += room.PacketsOut;
                bytesOut += room.BytesOut;
                nacks += room.NacksServed;
                keyframes += room.KeyframeRequests;
                foreach ((string reason, long count) in room.DroppedByReason)
                {
                    drops[reason] = drops.GetValueOrDefault(reason) + count;
                }
            }

            TransportCounters transport = _transport.Counters;
            foreach (TransportDropReason reason in Enum.GetValues<TransportDropReason>())
            {
                long count = transport.Dropped(reason);
                if (count > 0)
                {
                    drops["transport-" + reason] = count;
                }
            }

            return new MediaMetrics(packetsIn, bytesIn, packetsOut, bytesOut, nacks, keyframes, transport.HandshakesSucceeded, transport.HandshakesFailed, drops);
        }
    }

    internal UdpMediaTransport Transport => _transport;

    public static MediaServer Start(MediaServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transport = new UdpMediaTransport(
            DtlsCertificate.CreateSelfSigned("suite-sfu"),
            new MediaTransportOptions
            {
                BindEndPoint = new IPEndPoint(options.BindAddress, options.Port),
                AdvertisedAddresses = options.AdvertisedAddresses,
                ConsentTimeout = options.ConsentTimeout,
            });
        transport.Start();
        return new MediaServer(options, transport);
    }

    public IMediaRoom OpenRoom(string roomId)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        return _rooms.GetOrAdd(roomId, id => new MediaRoom(this, _transport, id, _options.MaxParticipantsPerRoom));
    }

    public IMediaRoom? FindRoom(string roomId) => _rooms.GetValueOrDefault(roomId);

    public void Dispose()
    {
        _timer.Dispose();
        foreach (MediaRoom room in _rooms.Values)
        {
            room.Close();
        }

        _transport.Dispose();
    }

    internal void Forget(MediaRoom room)
    {
        if (_rooms.TryRemove(new KeyValuePair<string, MediaRoom>(room.Id, room)))
        {
            MediaMetrics last = room.Metrics;
            _closedRoomCounters.Absorb(last);
        }
    }

    private void Tick()
    {
        if (Interlocked.Exchange(ref _ticking, 1) != 0)
        {
            return; // the previous tick is still running: skip rather than pile up
        }

        try
        {
            long tick = Interlocked.Increment(ref _ticks);
            long now = Stopwatch.GetTimestamp();
            bool everySecond = tick % 20 == 0;
            bool speakerInterval = tick % 6 == 0;
            foreach (MediaRoom room in _rooms.Values)
            {
                try
                {
                    room.Tick(now, everySecond, speakerInterval);
                }
#pragma warning disable CA1031 // One room's failure must not stop the others' reports and feedback.
                catch (Exception)
#pragma warning restore CA1031
                {
                    room.CountDrop("tick-failed");
                }
            }
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }
}
