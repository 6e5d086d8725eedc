using System.Net;
using System.Net.Sockets;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Tests.Transport;

public sealed class DatagramBatchTests : IDisposable
{
    private readonly Socket _sender = Bound();
    private readonly Socket[] _receivers = [Bound(), Bound(), Bound()];

    public void Dispose()
    {
        _sender.Dispose();
        foreach (Socket receiver in _receivers)
        {
            receiver.Dispose();
        }
    }

    [Fact]
    public void On_64_bit_linux_batches_go_through_sendmmsg()
    {
        Assert.Equal(
            OperatingSystem.IsLinux() && Environment.Is64BitProcess,
            DatagramBatchSender.ForThisPlatform() is LinuxDatagramSender);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Every_datagram_reaches_its_destination_in_order_across_several_batches(bool platformSender)
    {
        DatagramBatchSender sender = platformSender ? DatagramBatchSender.ForThisPlatform() : new PlainDatagramSender();
        var batch = new DatagramBatch(capacity: 8);
        var counters = new TransportCounters();
        const int Total = 30;
        for (int i = 0; i < Total; i++)
        {
            Socket receiver = _receivers[i % _receivers.Length];
            int length = 20 + (i * 37 % 1200);
            Span<byte> slot = batch.NextSlot;
            slot[..length].Fill((byte)i);
            batch.Commit(length, receiver.LocalEndPoint!.Serialize(), tag: i);
            if (batch.IsFull || i == Total - 1)
            {
                sender.Send(_sender, batch, counters);
                for (int j = 0; j < batch.Count; j++)
                {
                    Assert.True(batch.WasSent(j));
                }

                batch.Clear();
            }
        }

        Assert.Equal(Total, counters.DatagramsSent);
        Assert.Equal(0, counters.SendFailures);
        for (int r = 0; r < _receivers.Length; r++)
        {
            for (int i = r; i < Total; i += _receivers.Length)
            {
                byte[] received = Receive(_receivers[r]);
                Assert.Equal(20 + (i * 37 % 1200), received.Length);
                Assert.All(received, value => Assert.Equal((byte)i, value));
            }
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_datagram_the_kernel_refuses_is_counted_and_the_rest_of_the_batch_still_goes(bool platformSender)
    {
        DatagramBatchSender sender = platformSender ? DatagramBatchSender.ForThisPlatform() : new PlainDatagramSender();
        var batch = new DatagramBatch(capacity: 8);
        var counters = new TransportCounters();
        // Broadcast without SO_BROADCAST: the kernel refuses that one datagram (EACCES).
        SocketAddress refused = new IPEndPoint(IPAddress.Broadcast, 9).Serialize();
        SocketAddress[] destinations =
        [
            _receivers[0].LocalEndPoint!.Serialize(), refused, _receivers[0].LocalEndPoint!.Serialize(), _receivers[1].LocalEndPoint!.Serialize(),
        ];
        for (int i = 0; i < destinations.Length; i++)
        {
            batch.NextSlot[..10].Fill((byte)(i + 1));
            batch.Commit(10, destinations[i]);
        }

        sender.Send(_sender, batch, counters);

        Assert.Equal([true, false, true, true], Enumerable.Range(0, 4).Select(batch.WasSent));
        Assert.Equal(3, counters.DatagramsSent);
        Assert.Equal(1, counters.SendFailures);
        Assert.Equal(1, Receive(_receivers[0])[0]);
        Assert.Equal(3, Receive(_receivers[0])[0]);
        Assert.Equal(4, Receive(_receivers[1])[0]);
    }

    [Fact]
    public void A_batch_refuses_what_does_not_fit_it()
    {
        var batch = new DatagramBatch(capacity: 1);
        SocketAddress destination = _receivers[0].LocalEndPoint!.Serialize();

        Assert.Throws<InvalidOperationException>(() => batch.Commit(DatagramBatch.SlotLength + 1, destination));
        batch.Commit(10, destination);
        Assert.True(batch.IsFull);
        Assert.Throws<InvalidOperationException>(() => batch.NextSlot.Length);
        batch.Clear();
        Assert.Equal(0, batch.Count);
    }

    private static Socket Bound()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000, ReceiveBufferSize = 1 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static byte[] Receive(Socket socket)
    {
        byte[] buffer = new byte[2048];
        int length = socket.Receive(buffer);
        return buffer[..length];
    }
}
