using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Suite.Meetings.Media.Transport;

/// <summary>Hands a <see cref="DatagramBatch"/> to the kernel. Never throws: each datagram that could not be sent is
/// counted as a send failure and left unmarked in the batch; the others still go.</summary>
internal abstract class DatagramBatchSender
{
    /// <summary>sendmmsg on 64-bit Linux (the message header layout below is the LP64 one), a loop of sendto elsewhere.</summary>
    public static DatagramBatchSender ForThisPlatform() =>
        OperatingSystem.IsLinux() && Environment.Is64BitProcess ? new LinuxDatagramSender() : new PlainDatagramSender();

    public abstract void Send(Socket socket, DatagramBatch batch, TransportCounters counters);

    /// <summary>One datagram through the socket's own sendto: the fallback, and how a failing datagram is reported.</summary>
    protected static void SendOne(Socket socket, DatagramBatch batch, int index, TransportCounters counters)
    {
        try
        {
            socket.SendTo(batch.Datagram(index), SocketFlags.None, batch.Destination(index));
            batch.MarkSent(index);
            counters.Sent();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            counters.SendFailed();
        }
    }
}

/// <summary>One system call per datagram.</summary>
internal sealed class PlainDatagramSender : DatagramBatchSender
{
    public override void Send(Socket socket, DatagramBatch batch, TransportCounters counters)
    {
        for (int i = 0; i < batch.Count; i++)
        {
            SendOne(socket, batch, i, counters);
        }
    }
}

/// <summary>
/// sendmmsg(2): the whole batch in one system call. It returns how many messages went before the first that failed;
/// that one is retried alone through <see cref="Socket.SendTo(ReadOnlySpan{byte}, SocketFlags, System.Net.SocketAddress)"/>
/// (which reports, or succeeds after an interruption), and the rest of the batch goes on with sendmmsg again.
/// </summary>
internal sealed class LinuxDatagramSender : DatagramBatchSender
{
    public override void Send(Socket socket, DatagramBatch batch, TransportCounters counters)
    {
        int count = batch.Count;
        IoVector[] vectors = batch.Vectors;
        MessageHeader[] headers = batch.Headers;
        for (int i = 0; i < count; i++)
        {
            vectors[i] = new IoVector { Base = batch.SlotAddress(i), Length = (nuint)batch.Length(i) };
            headers[i] = new MessageHeader
            {
                Name = batch.AddressPointer(i),
                NameLength = (uint)batch.AddressSize(i),
                Vectors = Marshal.UnsafeAddrOfPinnedArrayElement(vectors, i),
                VectorCount = 1,
            };
        }

        int next = 0;
        while (next < count)
        {
            int sent;
            try
            {
                sent = SendMessages(socket.SafeHandle, Marshal.UnsafeAddrOfPinnedArrayElement(headers, next), (uint)(count - next), 0);
            }
            catch (ObjectDisposedException)
            {
                sent = -1; // the transport is stopping: SendOne counts each remaining datagram as failed
            }

            if (sent > 0)
            {
                for (int i = next; i < next + sent; i++)
                {
                    batch.MarkSent(i);
                }

                counters.Sent(sent);
                next += sent;
            }
            else
            {
                SendOne(socket, batch, next, counters);
                next++;
            }
        }
    }

    // DllImport rather than LibraryImport: its generated stub needs unsafe code, and these arguments marshal as they are.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "sendmmsg")]
    private static extern int SendMessages(SafeHandle socket, nint messages, uint count, int flags);
#pragma warning restore SYSLIB1054

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVector
    {
        public nint Base;
        public nuint Length;
    }

    /// <summary>struct mmsghdr on LP64 Linux: struct msghdr (56 bytes) then msg_len.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MessageHeader
    {
        public nint Name;
        public uint NameLength;
        public nint Vectors;
        public nuint VectorCount;
        public nint Control;
        public nuint ControlLength;
        public int Flags;
        public int Padding; // msghdr is 8-byte aligned: msg_len starts at 56
        public uint SentLength;
    }
}
