namespace Suite.Meetings.Media.Tests.Robustness;

/// <summary>
/// Produces fuzz datagrams without allocating: pure noise (with a first byte biased toward the multiplexed ranges),
/// or a corpus datagram bit-flipped, overwritten with boundary values, truncated, extended, or left intact.
/// </summary>
internal sealed class DatagramMutator(Random random, DatagramCorpus corpus)
{
    private static readonly byte[] Interesting = [0x00, 0x01, 0x03, 0x7F, 0x80, 0xBF, 0xC0, 0xC8, 0xCD, 0xCE, 0xFF, 0x10, 0x20, 0x40];

    private readonly byte[] _buffer = new byte[2048];

    /// <param name="mutatedProtected">The datagram is a changed copy of an SRTP/SRTCP packet: it must never authenticate.</param>
    public ReadOnlySpan<byte> Next(out bool mutatedProtected)
    {
        mutatedProtected = false;
        int strategy = random.Next(10);
        if (strategy == 0)
        {
            return Noise();
        }

        bool fromProtected = random.Next(2) == 0;
        IReadOnlyList<byte[]> pool = fromProtected ? corpus.Protected : corpus.Plain;
        byte[] seed = pool[random.Next(pool.Count)];
        seed.CopyTo(_buffer, 0);
        int length = seed.Length;

        switch (strategy)
        {
            case 1 or 2 or 3:
                for (int flips = random.Next(1, 9); flips > 0; flips--)
                {
                    int bit = random.Next(length * 8);
                    _buffer[bit / 8] ^= (byte)(1 << (bit % 8));
                }

                break;
            case 4 or 5:
                for (int writes = random.Next(1, 5); writes > 0; writes--)
                {
                    _buffer[random.Next(length)] = Interesting[random.Next(Interesting.Length)];
                }

                break;
            case 6 or 7:
                length = random.Next(length);
                break;
            case 8:
                int extra = random.Next(1, Math.Min(200, _buffer.Length - length));
                random.NextBytes(_buffer.AsSpan(length, extra));
                length += extra;
                break;
            default:
                break;
        }

        ReadOnlySpan<byte> result = _buffer.AsSpan(0, length);
        mutatedProtected = fromProtected && !result.SequenceEqual(seed);
        return result;
    }

    private ReadOnlySpan<byte> Noise()
    {
        int length = random.Next(0, 1501);
        Span<byte> noise = _buffer.AsSpan(0, length);
        random.NextBytes(noise);
        if (length > 0 && random.Next(2) == 0)
        {
            noise[0] = random.Next(4) switch
            {
                0 => (byte)random.Next(0, 4),
                1 => (byte)random.Next(20, 64),
                2 => (byte)random.Next(128, 192),
                _ => (byte)random.Next(64, 128),
            };
        }

        return noise;
    }
}
