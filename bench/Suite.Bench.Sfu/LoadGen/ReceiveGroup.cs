using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>
/// The 12-byte stamp the publisher writes into each payload just before SRTP-protecting and sending it:
/// "SB" | layer (0–2 video q/h/f, 3 audio) | 0 | CLOCK_REALTIME in ns, big-endian — the clock of the kernel's
/// SO_TIMESTAMPNS receive timestamps.
/// </summary>
internal static class Clock
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    /// <summary>CLOCK_REALTIME (DateTime.UtcNow reads it, at 100 ns resolution), in ns since the Unix epoch.</summary>
    public static long RealtimeNanoseconds() => (DateTime.UtcNow.Ticks - UnixEpochTicks) * 100;
}

internal static class Stamp
{
    public const int Size = 12;
    public const int AudioLayer = 3;

    public static void Write(Span<byte> destination, int layer, long timestamp)
    {
        destination[0] = (byte)'S';
        destination[1] = (byte)'B';
        destination[2] = (byte)layer;
        destination[3] = 0;
        BinaryPrimitives.WriteInt64BigEndian(destination[4..], timestamp);
    }

    /// <summary>Finds the stamp in the first bytes after the RTP header (after the VP8 descriptor and frame tag).</summary>
    public static bool TryRead(ReadOnlySpan<byte> rtp, out int layer, out long timestamp)
    {
        layer = 0;
        timestamp = 0;
        int headerLength = 12 + ((rtp[0] & 0x0f) * 4);
        if ((rtp[0] & 0x10) != 0 && rtp.Length >= headerLength + 4)
        {
            headerLength += 4 + (BinaryPrimitives.ReadUInt16BigEndian(rtp[(headerLength + 2)..]) * 4);
        }

        ReadOnlySpan<byte> payload = rtp.Length > headerLength ? rtp[headerLength..] : default;
        int limit = Math.Min(payload.Length - Size, 40);
        for (int i = 0; i <= limit; i++)
        {
            if (payload[i] == 'S' && payload[i + 1] == 'B' && payload[i + 3] == 0 && payload[i + 2] <= AudioLayer)
            {
                layer = payload[i + 2];
                timestamp = BinaryPrimitives.ReadInt64BigEndian(payload[(i + 4)..]);
                return true;
            }
        }

        return false;
    }
}

/// <summary>What one receive thread counted while recording; merged by the generator at the end of a window.</summary>
internal sealed class ReceiveStats
{
    /// <summary>Added latency, publisher stamp → kernel receive timestamp: 10 µs buckets up to 2 s (later ones land in the last).</summary>
    public const int BucketMicroseconds = 10;
    private const int BucketCount = 200_000;

    public volatile bool Recording;
    public long Packets;
    public long Bytes;
    public long Gaps;
    public long Late;
    public long Duplicates;
    public long DecryptErrors;
    public long LayerSwitches;
    public long LatencyCount;
    public double MaxLatencyMicroseconds;
    public readonly long[] ByLayer = new long[4];
    public readonly long[] BytesByLayer = new long[4];
    public readonly int[] Latency = new int[BucketCount];

    /// <summary>Handler latency: publisher stamp → this thread's handler (includes the generator's own queueing).</summary>
    public readonly int[] HandlerLatency = new int[BucketCount];

    public void Record(int layer, int bytes, long kernelNanoseconds, long handlerNanoseconds)
    {
        ByLayer[layer]++;
        BytesByLayer[layer] += bytes;
        double microseconds = kernelNanoseconds / 1e3;
        Latency[Bucket(microseconds)]++;
        HandlerLatency[Bucket(handlerNanoseconds / 1e3)]++;
        LatencyCount++;
        if (microseconds > MaxLatencyMicroseconds)
        {
            MaxLatencyMicroseconds = microseconds;
        }
    }

    private static int Bucket(double microseconds) => (int)Math.Clamp(microseconds / BucketMicroseconds, 0, BucketCount - 1);

    public void Reset()
    {
        Packets = Bytes = Gaps = Late = Duplicates = DecryptErrors = LayerSwitches = LatencyCount = 0;
        MaxLatencyMicroseconds = 0;
        Array.Clear(ByLayer);
        Array.Clear(BytesByLayer);
        Array.Clear(Latency);
        Array.Clear(HandlerLatency);
    }
}

/// <summary>
/// One thread reading up to <see cref="Capacity"/> peers' sockets through its own epoll set (level-triggered): each
/// ready socket is drained (non-blocking recv until it would block), each datagram's arrival time taken right after its
/// recv() returns, then straight into the peer's demultiplexer. Grouping keeps the thread count (and the context switches
/// of a one-core generator) small; epoll keeps the cost per wake-up independent of the group's size.
/// </summary>
internal sealed class ReceiveGroup : IDisposable
{
    public const int Capacity = 128;
    private const int EpollIn = 0x001;
    private const int EpollCtlAdd = 1;
    private const int EpollCtlDel = 2;
    private const int MaxDrainPerWakeup = 32;

    private readonly Thread _thread;
    private readonly byte[] _buffer = new byte[2048];
    private readonly int _epoll;
    private readonly Lock _gate = new();
    private volatile Peer?[] _slots = new Peer?[Capacity];
    private int _count;
    private volatile bool _stopped;

    public ReceiveGroup(int index)
    {
        _epoll = EpollCreate1(0);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {Marshal.GetLastPInvokeError()}");
        }

        _thread = new Thread(Run) { IsBackground = true, Name = $"loadgen-recv-{index}" };
        _thread.Start();
    }

    public ReceiveStats Stats { get; } = new();

    public int Count => Volatile.Read(ref _count);

    public void Add(Peer peer)
    {
        lock (_gate)
        {
            Peer?[] slots = (Peer?[])_slots.Clone();
            int slot = Array.IndexOf(slots, null);
            slots[slot] = peer;
            _slots = slots;
            _count++;
            var e = new EpollEvent { Events = EpollIn, Data = (ulong)slot };
            if (EpollCtl(_epoll, EpollCtlAdd, (int)peer.Socket.Handle, ref e) != 0)
            {
                throw new InvalidOperationException($"epoll_ctl failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
    }

    public void Remove(Peer peer)
    {
        lock (_gate)
        {
            Peer?[] slots = (Peer?[])_slots.Clone();
            int slot = Array.IndexOf(slots, peer);
            if (slot < 0)
            {
                return;
            }

            var e = default(EpollEvent);
            EpollCtl(_epoll, EpollCtlDel, (int)peer.Socket.Handle, ref e);
            slots[slot] = null;
            _slots = slots;
            _count--;
        }
    }

    private void Run()
    {
        var events = new EpollEvent[Capacity];
        while (!_stopped)
        {
            int ready = EpollWait(_epoll, events, events.Length, 100);
            Peer?[] slots = _slots;
            for (int i = 0; i < ready; i++)
            {
                Peer? peer = slots[(int)events[i].Data];
                if (peer is not null)
                {
                    Drain(peer);
                }
            }
        }
    }

    /// <summary>
    /// Reads with recvmsg(MSG_DONTWAIT) to get the kernel's receive timestamp (SO_TIMESTAMPNS, CLOCK_REALTIME): the
    /// time the datagram was queued on the socket, before this thread was even scheduled. The handler's own time is
    /// taken right after recvmsg returns. Both are compared with the publisher's stamp (also CLOCK_REALTIME).
    /// </summary>
    private unsafe void Drain(Peer peer)
    {
        int fd = (int)peer.Socket.Handle;
        byte* control = stackalloc byte[64];
        fixed (byte* buffer = _buffer)
        {
            for (int n = 0; n < MaxDrainPerWakeup; n++)
            {
                var iov = new IoVector { Base = buffer, Length = (nuint)_buffer.Length };
                var header = new MessageHeader { Iov = &iov, IovLength = 1, Control = control, ControlLength = 64 };
                nint length = RecvMsg(fd, &header, MsgDontWait);
                if (length < 0)
                {
                    return; // EAGAIN: drained (or an ICMP error after the SFU went away)
                }

                long handled = Clock.RealtimeNanoseconds();
                long kernel = KernelTimestamp(control, (int)header.ControlLength) ?? handled;
                if (length > 0)
                {
                    peer.OnDatagram(_buffer.AsSpan(0, (int)length), kernel, handled, Stats);
                }
            }
        }
    }

    private static unsafe long? KernelTimestamp(byte* control, int length)
    {
        // struct cmsghdr { size_t len; int level; int type; } then struct timespec { long sec; long nsec; }.
        int offset = 0;
        while (offset + 16 <= length)
        {
            nuint cmsgLength = *(nuint*)(control + offset);
            int level = *(int*)(control + offset + 8);
            int type = *(int*)(control + offset + 12);
            if (level == SolSocket && type == SoTimestampNs && cmsgLength >= 32)
            {
                long seconds = *(long*)(control + offset + 16);
                long nanoseconds = *(long*)(control + offset + 24);
                return (seconds * 1_000_000_000) + nanoseconds;
            }

            if (cmsgLength == 0)
            {
                break;
            }

            offset += (int)((cmsgLength + 7) & ~(nuint)7);
        }

        return null;
    }

    public void Dispose()
    {
        _stopped = true;
        _thread.Join(1000);
        Close(_epoll);
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)] // struct epoll_event is packed on x86-64
    private struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [DllImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static extern int EpollCreate1(int flags);

    [DllImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static extern int EpollCtl(int epfd, int op, int fd, ref EpollEvent e);

    [DllImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static extern int EpollWait(int epfd, [Out] EpollEvent[] events, int maxEvents, int timeoutMs);

    public const int SolSocket = 1;
    public const int SoTimestampNs = 35;
    private const int MsgDontWait = 0x40;

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct IoVector
    {
        public byte* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    private unsafe struct MessageHeader
    {
        public void* Name;
        public uint NameLength;
        public IoVector* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    [DllImport("libc", EntryPoint = "recvmsg", SetLastError = true)]
    private static extern unsafe nint RecvMsg(int fd, MessageHeader* message, int flags);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
