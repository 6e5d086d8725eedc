using System.Diagnostics;
using Org.BouncyCastle.Crypto.Tls;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// Adapts the shared UDP socket to BouncyCastle's blocking <see cref="DatagramTransport"/>: the packet loop hands
/// DTLS records in through <see cref="TryEnqueue"/> (bounded, never blocks), the handshake thread takes them out in
/// <see cref="Receive"/>, and what DTLS sends goes out through a <see cref="DatagramSender"/>. An optional deadline
/// bounds the whole handshake: BouncyCastle itself would keep retransmitting with back-off for ever.
/// </summary>
internal sealed class QueuedDatagramTransport : DatagramTransport
{
    public const int DefaultCapacity = 32;
    public const int DefaultMaxDatagramLength = 1500;

    /// <summary>Largest flight fragment we send: fits every path WebRTC runs on (libwebrtc uses 1200 too).</summary>
    public const int DefaultSendLimit = 1200;

    private readonly Queue<byte[]> _received = new();
    private readonly object _gate = new(); // Monitor.Wait/Pulse need a plain object, not System.Threading.Lock.
    private readonly DatagramSender _send;
    private readonly int _capacity;
    private readonly int _maxDatagramLength;
    private long _deadlineTimestamp = long.MaxValue;
    private bool _closed;
    private long _dropped;
    private long _sendFailures;

    public QueuedDatagramTransport(
        DatagramSender send, int capacity = DefaultCapacity, int maxDatagramLength = DefaultMaxDatagramLength, int sendLimit = DefaultSendLimit)
    {
        ArgumentNullException.ThrowIfNull(send);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDatagramLength, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(sendLimit, 64);
        _send = send;
        _capacity = capacity;
        _maxDatagramLength = maxDatagramLength;
        SendLimit = sendLimit;
    }

    public int SendLimit { get; }

    /// <summary>Why <see cref="Receive"/> stopped the handshake, or <see cref="DtlsFailureReason.None"/>.</summary>
    public DtlsFailureReason AbortReason { get; private set; }

    /// <summary>Datagrams refused because the queue was full, the transport closed, or the datagram too long.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _received.Count;
            }
        }
    }

    /// <summary>Called by the packet loop: copies the record in, or drops it (and counts) when there is no room.</summary>
    public bool TryEnqueue(ReadOnlySpan<byte> datagram)
    {
        lock (_gate)
        {
            if (_closed || datagram.IsEmpty || datagram.Length > _maxDatagramLength || _received.Count >= _capacity)
            {
                Interlocked.Increment(ref _dropped);
                return false;
            }

            _received.Enqueue(datagram.ToArray());
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>After this long from now, <see cref="Receive"/> aborts with <see cref="DtlsFailureReason.Timeout"/>.</summary>
    public void SetDeadline(TimeSpan fromNow)
    {
        lock (_gate)
        {
            _deadlineTimestamp = Stopwatch.GetTimestamp() + (long)(fromNow.TotalSeconds * Stopwatch.Frequency);
        }
    }

    public void ClearDeadline()
    {
        lock (_gate)
        {
            _deadlineTimestamp = long.MaxValue;
        }
    }

    public int GetReceiveLimit() => _maxDatagramLength;

    public int GetSendLimit() => SendLimit;

    /// <summary>
    /// Waits up to <paramref name="waitMillis"/> for a datagram; −1 on timeout (BouncyCastle then retransmits).
    /// Throws <see cref="DtlsTransportAbortedException"/> once closed or past the deadline, which ends the handshake.
    /// </summary>
    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        long waitUntil = Stopwatch.GetTimestamp() + ((long)Math.Max(0, waitMillis) * Stopwatch.Frequency / 1000);
        lock (_gate)
        {
            while (true)
            {
                if (_closed)
                {
                    throw Abort(DtlsFailureReason.Closed);
                }

                if (_received.TryDequeue(out byte[]? datagram))
                {
                    int length = Math.Min(len, datagram.Length);
                    datagram.AsSpan(0, length).CopyTo(buf.AsSpan(off, length));
                    return length;
                }

                long now = Stopwatch.GetTimestamp();
                if (now >= _deadlineTimestamp)
                {
                    throw Abort(DtlsFailureReason.Timeout);
                }

                long until = Math.Min(waitUntil, _deadlineTimestamp);
                if (now >= until)
                {
                    return -1;
                }

                int remainingMillis = (int)Math.Min(int.MaxValue, Math.Max(1, (until - now) * 1000 / Stopwatch.Frequency));
                Monitor.Wait(_gate, remainingMillis);
            }
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (Volatile.Read(ref _closed))
        {
            return;
        }

        try
        {
            _send(buf.AsSpan(off, len));
        }
#pragma warning disable CA1031 // A failed UDP send is a lost datagram: DTLS retransmits, the handshake must not die of it.
        catch (Exception)
#pragma warning restore CA1031
        {
            Interlocked.Increment(ref _sendFailures);
        }
    }

    /// <summary>Wakes a blocked <see cref="Receive"/>, which then aborts; later datagrams are dropped.</summary>
    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            _received.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    private DtlsTransportAbortedException Abort(DtlsFailureReason reason)
    {
        if (AbortReason == DtlsFailureReason.None)
        {
            AbortReason = reason;
        }

        return new DtlsTransportAbortedException(AbortReason);
    }
}

/// <summary>Thrown out of <see cref="QueuedDatagramTransport.Receive"/> to end a handshake that timed out or was closed.</summary>
internal sealed class DtlsTransportAbortedException(DtlsFailureReason reason)
    : IOException($"DTLS transport aborted: {reason}.")
{
    public DtlsFailureReason Reason { get; } = reason;
}
