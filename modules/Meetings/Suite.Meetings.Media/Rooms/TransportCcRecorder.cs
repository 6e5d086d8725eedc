using Suite.Meetings.Media.Rtcp;

namespace Suite.Meetings.Media.Rooms;

/// <summary>
/// Arrival times of a publisher's packets by transport-wide sequence number, turned into transport-cc feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01) every few tens of milliseconds. With it the browser's
/// send-side estimator ramps up and sends every simulcast layer. Guarded by the room's lock.
/// </summary>
internal sealed class TransportCcRecorder
{
    private const int Window = 4096;
    private const int MaxPerFeedback = 400;

    private readonly long[] _arrivals = new long[Window];
    private long _nextToReport = -1; // extended sequence number
    private long _highest = -1;
    private byte _feedbackCount;

    public TransportCcRecorder() => Array.Fill(_arrivals, -1);

    public void Record(ushort sequence, long arrivalMicroseconds)
    {
        long extended = sequence;
        if (_highest < 0)
        {
            _nextToReport = sequence;
        }
        else
        {
            // The extended number closest to the highest seen so far.
            extended = (_highest & ~0xFFFFL) | sequence;
            if (extended - _highest > 0x8000)
            {
                extended -= 0x10000;
            }
            else if (_highest - extended > 0x8000)
            {
                extended += 0x10000;
            }
        }

        if (extended < _nextToReport || extended - _nextToReport >= Window)
        {
            if (extended - _nextToReport >= Window)
            {
                // A jump beyond the window (a restarted sender): start over from here.
                Array.Fill(_arrivals, -1);
                _nextToReport = extended;
                _highest = extended;
            }
            else
            {
                return; // already reported as lost; too late to matter
            }
        }

        _arrivals[extended % Window] = arrivalMicroseconds;
        _highest = Math.Max(_highest, extended);
    }

    /// <summary>Writes feedback packets for everything received since the last call; returns the bytes written.</summary>
    public int WriteFeedback(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (_highest < 0 || _nextToReport > _highest)
        {
            return 0;
        }

        int written = 0;
        Span<long> arrivals = stackalloc long[MaxPerFeedback];
        while (_nextToReport <= _highest)
        {
            int count = (int)Math.Min(MaxPerFeedback, _highest - _nextToReport + 1);
            for (int i = 0; i < count; i++)
            {
                arrivals[i] = _arrivals[(_nextToReport + i) % Window];
            }

            int length = 0;
            while (count > 0)
            {
                length = TransportCcFeedback.Write(destination[written..], senderSsrc, mediaSsrc, (ushort)_nextToReport, _feedbackCount, arrivals[..count]);
                if (length > 0)
                {
                    break;
                }

                count /= 2; // a delta too large for one message, or not enough room: report fewer
            }

            if (length == 0)
            {
                // Nothing encodable (e.g. a first packet reported lost): skip it rather than stall.
                _arrivals[_nextToReport % Window] = -1;
                _nextToReport++;
                continue;
            }

            for (int i = 0; i < count; i++)
            {
                _arrivals[(_nextToReport + i) % Window] = -1;
            }

            _feedbackCount++;
            _nextToReport += count;
            written += length;
            if (destination.Length - written < 200)
            {
                break;
            }
        }

        return written;
    }
}
