namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// Sliding replay window of 64 indices below the highest authenticated index (RFC 3711 §3.3.2). Check before
/// authenticating, <see cref="Accept"/> only after the tag verified, so that forged packets cannot move it.
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 64;

    private ulong _highest;
    private ulong _mask;
    private bool _initialized;

    public readonly bool IsInitialized => _initialized;

    public readonly ulong Highest => _highest;

    public readonly SrtpError Check(ulong index)
    {
        if (!_initialized || index > _highest)
        {
            return SrtpError.None;
        }

        ulong age = _highest - index;
        if (age >= Size)
        {
            return SrtpError.TooOld;
        }

        return (_mask & (1UL << (int)age)) != 0 ? SrtpError.Replayed : SrtpError.None;
    }

    public void Accept(ulong index)
    {
        if (!_initialized)
        {
            _initialized = true;
            _highest = index;
            _mask = 1;
            return;
        }

        if (index > _highest)
        {
            ulong shift = index - _highest;
            _mask = shift >= Size ? 1 : (_mask << (int)shift) | 1;
            _highest = index;
            return;
        }

        ulong age = _highest - index;
        if (age < Size)
        {
            _mask |= 1UL << (int)age;
        }
    }
}

/// <summary>Packet index estimation from a 16-bit sequence number (RFC 3711 §3.3.1 and appendix A).</summary>
internal static class SrtpIndex
{
    /// <summary>The largest SRTP packet index (2^48 − 1).</summary>
    public const ulong MaxRtpIndex = (1UL << 48) - 1;

    /// <summary>The largest SRTCP index (2^31 − 1).</summary>
    public const uint MaxRtcpIndex = 0x7FFF_FFFF;

    /// <summary>
    /// Guesses the rollover counter of <paramref name="sequenceNumber"/> given the highest index seen so far and
    /// returns the 48-bit index, or an error when the guess falls before the stream start or past 2^48.
    /// </summary>
    public static SrtpError Estimate(bool initialized, ulong highestIndex, ushort sequenceNumber, out ulong index)
    {
        index = sequenceNumber;
        if (!initialized)
        {
            return SrtpError.None;
        }

        long roc = (long)(highestIndex >> 16);
        int highestSequence = (int)(highestIndex & 0xFFFF);
        long guess = roc;
        if (highestSequence < 0x8000)
        {
            if (sequenceNumber - highestSequence > 0x8000)
            {
                guess = roc - 1;
            }
        }
        else if (highestSequence - 0x8000 > sequenceNumber)
        {
            guess = roc + 1;
        }

        if (guess < 0)
        {
            return SrtpError.TooOld;
        }

        if (guess > uint.MaxValue)
        {
            return SrtpError.KeyExhausted;
        }

        index = ((ulong)guess << 16) | sequenceNumber;
        return SrtpError.None;
    }
}
