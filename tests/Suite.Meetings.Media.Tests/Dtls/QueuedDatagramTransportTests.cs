using System.Diagnostics;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Tests.Dtls;

public sealed class QueuedDatagramTransportTests
{
    [Fact]
    public void Datagrams_come_out_in_order_and_a_full_queue_drops_and_counts()
    {
        var transport = new QueuedDatagramTransport(_ => { }, capacity: 2);
        Assert.True(transport.TryEnqueue([22, 1]));
        Assert.True(transport.TryEnqueue([22, 2, 2]));
        Assert.False(transport.TryEnqueue([22, 3]));
        Assert.Equal(1, transport.Dropped);

        byte[] buffer = new byte[10];
        Assert.Equal(2, transport.Receive(buffer, 0, buffer.Length, 0));
        Assert.Equal(1, buffer[1]);
        Assert.Equal(3, transport.Receive(buffer, 1, 5, 0));
        Assert.Equal([22, 2, 2], buffer[1..4]);
        Assert.Equal(-1, transport.Receive(buffer, 0, buffer.Length, 0));
    }

    [Fact]
    public void Empty_and_oversized_datagrams_are_dropped()
    {
        var transport = new QueuedDatagramTransport(_ => { }, maxDatagramLength: 100);
        Assert.False(transport.TryEnqueue([]));
        Assert.False(transport.TryEnqueue(new byte[101]));
        Assert.True(transport.TryEnqueue(new byte[100]));
        Assert.Equal(2, transport.Dropped);
        Assert.Equal(100, transport.GetReceiveLimit());
    }

    [Fact]
    public async Task Receive_waits_for_a_datagram_enqueued_by_another_thread()
    {
        var transport = new QueuedDatagramTransport(_ => { });
        var feeder = Task.Run(async () =>
        {
            await Task.Delay(50);
            transport.TryEnqueue([23, 9]);
        });

        byte[] buffer = new byte[10];
        int length = transport.Receive(buffer, 0, buffer.Length, 5000);

        Assert.Equal(2, length);
        Assert.Equal(9, buffer[1]);
        await feeder;
    }

    [Fact]
    public void Receive_past_the_deadline_aborts_with_timeout()
    {
        var transport = new QueuedDatagramTransport(_ => { });
        transport.SetDeadline(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        byte[] buffer = new byte[10];
        Assert.Equal(-1, transport.Receive(buffer, 0, buffer.Length, 20));
        var aborted = Assert.Throws<DtlsTransportAbortedException>(() => transport.Receive(buffer, 0, buffer.Length, 60_000));

        Assert.Equal(DtlsFailureReason.Timeout, aborted.Reason);
        Assert.Equal(DtlsFailureReason.Timeout, transport.AbortReason);
        Assert.InRange(clock.ElapsedMilliseconds, 80, 10_000);
    }

    [Fact]
    public async Task Close_wakes_a_blocked_receive_which_aborts_as_closed()
    {
        var transport = new QueuedDatagramTransport(_ => { });
        var receiver = Task.Run(() => Assert.Throws<DtlsTransportAbortedException>(
            () => transport.Receive(new byte[10], 0, 10, 60_000)));
        await Task.Delay(50);

        transport.Close();

        DtlsTransportAbortedException aborted = await receiver.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(DtlsFailureReason.Closed, aborted.Reason);
        Assert.False(transport.TryEnqueue([22]));
    }

    [Fact]
    public void Send_goes_through_the_delegate_and_a_failing_send_is_counted_not_thrown()
    {
        var sent = new List<byte[]>();
        var transport = new QueuedDatagramTransport(datagram => sent.Add(datagram.ToArray()));
        transport.Send([0, 1, 2, 3], 1, 2);
        Assert.Equal([1, 2], Assert.Single(sent));

        var failing = new QueuedDatagramTransport(_ => throw new IOException("network unreachable"));
        failing.Send([1, 2, 3], 0, 3);
        Assert.Equal(1, failing.SendFailures);
    }
}
