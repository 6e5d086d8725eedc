using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Suite.Meetings.Media.Transport;

/// <summary>
/// Datagrams to several destinations, built in place and handed to the kernel together: the forwarding loop writes
/// each subscriber's copy of a packet straight into the next slot, then <see cref="UdpMediaTransport.Send(DatagramBatch)"/>
/// sends them all (one sendmmsg system call on Linux). The slots and addresses live in pinned arrays, so the native
/// message headers that point at them are built once. Not thread-safe: one per room, used under the room's lock.
/// </summary>
internal sealed class DatagramBatch
{
    public const int SlotLength = 2048;

    /// <summary>Room for a sockaddr_in6 (28 bytes), rounded up.</summary>
    private const int AddressLength = 32;

    private readonly byte[] _slots;
    private readonly byte[] _addresses;
    private readonly int[] _lengths;
    private readonly int[] _tags;
    private readonly int[] _addressLengths;
    private readonly bool[] _sent;
    private readonly SocketAddress?[] _destinations;

    public DatagramBatch(int capacity = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _slots = GC.AllocateArray<byte>(capacity * SlotLength, pinned: true);
        _addresses = GC.AllocateArray<byte>(capacity * AddressLength, pinned: true);
        _lengths = new int[capacity];
        _tags = new int[capacity];
        _addressLengths = new int[capacity];
        _sent = new bool[capacity];
        _destinations = new SocketAddress?[capacity];
        Headers = GC.AllocateArray<LinuxDatagramSender.MessageHeader>(capacity, pinned: true);
        Vectors = GC.AllocateArray<LinuxDatagramSender.IoVector>(capacity, pinned: true);
    }

    public int Capacity { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>Where the next datagram is written (the whole slot, so that SRTP can append its tag).</summary>
    public Span<byte> NextSlot => IsFull ? throw new InvalidOperationException("The batch is full.") : _slots.AsSpan(Count * SlotLength, SlotLength);

    /// <summary>The native message headers of sendmmsg (pinned), filled by the Linux sender.</summary>
    internal LinuxDatagramSender.MessageHeader[] Headers { get; }

    internal LinuxDatagramSender.IoVector[] Vectors { get; }

    /// <summary>Keeps the datagram written in <see cref="NextSlot"/>; <paramref name="tag"/> is the caller's (a plain length to count).</summary>
    public void Commit(int length, SocketAddress destination, int tag = 0)
    {
        if (IsFull || (uint)length > SlotLength || destination.Size > AddressLength)
        {
            throw new InvalidOperationException("The datagram does not fit the batch.");
        }

        destination.Buffer.Span[..destination.Size].CopyTo(_addresses.AsSpan(Count * AddressLength, AddressLength));
        _addressLengths[Count] = destination.Size;
        _destinations[Count] = destination;
        _lengths[Count] = length;
        _tags[Count] = tag;
        _sent[Count] = false;
        Count++;
    }

    public ReadOnlySpan<byte> Datagram(int index) => _slots.AsSpan(index * SlotLength, _lengths[index]);

    public int Tag(int index) => _tags[index];

    /// <summary>Whether datagram <paramref name="index"/> reached the kernel in the last send.</summary>
    public bool WasSent(int index) => _sent[index];

    internal void MarkSent(int index) => _sent[index] = true;

    internal SocketAddress Destination(int index) => _destinations[index]!;

    internal nint SlotAddress(int index) => Marshal.UnsafeAddrOfPinnedArrayElement(_slots, index * SlotLength);

    internal nint AddressPointer(int index) => Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, index * AddressLength);

    internal int Length(int index) => _lengths[index];

    internal int AddressSize(int index) => _addressLengths[index];

    /// <summary>Empties the batch for the next round.</summary>
    public void Clear()
    {
        Array.Clear(_destinations, 0, Count);
        Count = 0;
    }
}
