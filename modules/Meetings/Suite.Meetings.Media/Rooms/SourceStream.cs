using System.Diagnostics;
using Suite.Meetings.Media.Forwarding;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Rooms;

/// <summary>
/// One SSRC a publisher sends for a track (one simulcast layer): reception statistics for receiver reports (RFC 3550
/// appendix A), its bitrate for layer selection, a packet cache for retransmissions to subscribers, and the sequence
/// numbers missing from the publisher, which the room asks again (NACK) a few times. Guarded by the room's lock.
/// </summary>
internal sealed class SourceStream
{
    private const int MaxMissing = 256;
    private const int MaxNackTries = 4;
    private static readonly long NackRetryTicks = Stopwatch.Frequency / 25; // 40 ms
    private static readonly long MissingLifetimeTicks = Stopwatch.Frequency; // 1 s

    private readonly List<Missing> _missing = [];
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private double _jitter;
    private long _lastTransit;
    private long _bytesThisSecond;
    private long _rateWindowStart;

    public SourceStream(PublishedTrack track, uint ssrc, int layer)
    {
        Track = track;
        Ssrc = ssrc;
        Layer = layer;
        Cache = track.Kind == "video" ? new PacketCache(1024) : null;
    }

    public PublishedTrack Track { get; }

    public uint Ssrc { get; }

    public int Layer { get; }

    public uint? RtxSsrc { get; set; }

    public PacketCache? Cache { get; }

    public long BitsPerSecond { get; private set; }

    public long LastPacketTimestamp { get; private set; }

    public long LastKeyframeRequest { get; set; }

    /// <summary>The last sender report's compact NTP time and when it arrived, for LSR/DLSR.</summary>
    public uint LastSenderReport { get; set; }

    public long LastSenderReportTimestamp { get; set; }

    public byte LastFractionLost { get; private set; }

    public long PacketsReceived => _received;

    public long PacketsLost { get; private set; }

    /// <summary>Counts an original (not retransmitted) packet and notes the gap before it, if any.</summary>
    public void OnPacket(in RtpHeader header, int length, long now, int clockRate, bool retransmission)
    {
        LastPacketTimestamp = now;
        _bytesThisSecond += length;
        ushort sequence = header.SequenceNumber;
        if (!_started)
        {
            _started = true;
            _maxSequence = sequence;
            _baseSequence = sequence;
            _received = 1;
            _rateWindowStart = now;
            return;
        }

        _received++;
        int delta = (short)(sequence - _maxSequence);
        if (delta > 0)
        {
            if (delta > 1 && delta <= 200)
            {
                for (int missing = 1; missing < delta && _missing.Count < MaxMissing; missing++)
                {
                    _missing.Add(new Missing((ushort)(_maxSequence + missing), now));
                }
            }

            if (sequence < _maxSequence)
            {
                _cycles += 1 << 16;
            }

            _maxSequence = sequence;
        }
        else
        {
            RemoveMissing(sequence);
        }

        if (!retransmission && delta > 0)
        {
            long arrival = (long)(now * (double)clockRate / Stopwatch.Frequency);
            long transit = arrival - header.Timestamp;
            if (_lastTransit != 0)
            {
                long d = Math.Abs(transit - _lastTransit);
                _jitter += (d - _jitter) / 16.0;
            }

            _lastTransit = transit;
        }
    }

    /// <summary>Sequence numbers to ask the publisher again now (each at most <see cref="MaxNackTries"/> times).</summary>
    public int CollectNacks(long now, Span<ushort> destination)
    {
        int count = 0;
        for (int i = _missing.Count - 1; i >= 0; i--)
        {
            Missing entry = _missing[i];
            if (now - entry.Since > MissingLifetimeTicks || entry.Tries >= MaxNackTries)
            {
                _missing.RemoveAt(i);
                continue;
            }

            if ((entry.LastAsked == 0 || now - entry.LastAsked >= NackRetryTicks) && count < destination.Length)
            {
                destination[count++] = entry.Sequence;
                _missing[i] = entry with { LastAsked = now, Tries = entry.Tries + 1 };
            }
        }

        return count;
    }

    /// <summary>Once a second: the bitrate of the last window.</summary>
    public void UpdateRate(long now)
    {
        double seconds = (now - _rateWindowStart) / (double)Stopwatch.Frequency;
        if (seconds <= 0)
        {
            return;
        }

        BitsPerSecond = now - LastPacketTimestamp > Stopwatch.Frequency ? 0 : (long)(_bytesThisSecond * 8 / seconds);
        _bytesThisSecond = 0;
        _rateWindowStart = now;
    }

    /// <summary>A report block about this stream (RFC 3550 §6.4.1, A.3).</summary>
    public RtcpReportBlock BuildReportBlock(long now)
    {
        uint extendedMax = _cycles + _maxSequence;
        long expected = extendedMax - _baseSequence + 1;
        long lost = Math.Max(0, expected - _received);
        long expectedInterval = expected - _expectedPrior;
        long receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        long lostInterval = expectedInterval - receivedInterval;
        byte fraction = expectedInterval == 0 || lostInterval <= 0 ? (byte)0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);
        LastFractionLost = fraction;
        PacketsLost = lost;
        uint delaySinceSenderReport = LastSenderReportTimestamp == 0
            ? 0
            : (uint)((now - LastSenderReportTimestamp) * 65536.0 / Stopwatch.Frequency);
        return new RtcpReportBlock(Ssrc, fraction, (int)Math.Min(lost, RtcpReportBlock.MaxCumulativeLost), extendedMax, (uint)_jitter, LastSenderReport, delaySinceSenderReport);
    }

    public bool HasStarted => _started;

    private void RemoveMissing(ushort sequence)
    {
        for (int i = 0; i < _missing.Count; i++)
        {
            if (_missing[i].Sequence == sequence)
            {
                _missing.RemoveAt(i);
                return;
            }
        }
    }

    private readonly record struct Missing(ushort Sequence, long Since, long LastAsked = 0, int Tries = 0);
}
