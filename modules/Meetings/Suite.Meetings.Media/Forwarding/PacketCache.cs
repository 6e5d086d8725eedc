namespace Suite.Meetings.Media.Forwarding;

/// <summary>The last packets of one source (one simulcast layer of one track), by source sequence number, to answer
/// NACKs with retransmissions. Fixed size: a slot is overwritten by the packet 'capacity' numbers later.</summary>
internal sealed class PacketCache
{
    public const int MaxPacketLength = 1500;

    private readonly byte[][] _slots;
    private readonly int[] _lengths;
    private readonly int[] _sequences;
    private readonly int _mask;

    public PacketCache(int capacity = 512)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(capacity), "A power of two.");
        _slots = new byte[capacity][];
        _lengths = new int[capacity];
        _sequences = new int[capacity];
        Array.Fill(_sequences, -1);
        _mask = capacity - 1;
    }

    public bool Store(ushort sequence, ReadOnlySpan<byte> packet)
    {
        if (packet.Length > MaxPacketLength)
            return false;
        var slot = sequence & _mask;
        var buffer = _slots[slot] ??= new byte[MaxPacketLength];
        packet.CopyTo(buffer);
        _lengths[slot] = packet.Length;
        _sequences[slot] = sequence;
        return true;
    }

    /// <summary>Copies the packet into <paramref name="destination"/>; false when it is no longer (or never was) cached.</summary>
    public bool TryCopy(ushort sequence, Span<byte> destination, out int length)
    {
        var slot = sequence & _mask;
        length = 0;
        if (_sequences[slot] != sequence || destination.Length < _lengths[slot])
            return false;
        _slots[slot].AsSpan(0, _lengths[slot]).CopyTo(destination);
        length = _lengths[slot];
        return true;
    }
}
