using Suite.Meetings.Media.Forwarding;
using static Suite.Meetings.Media.Tests.Forwarding.ForwardingPackets;

namespace Suite.Meetings.Media.Tests.Forwarding;

public sealed class StreamRewriterTests
{
    private const uint Low = 0x1111, High = 0x2222, Out = 0xABCD;

    [Fact]
    public void A_subscriber_stream_has_its_own_ssrc_and_numbering_continuous_across_a_layer_switch()
    {
        var rewriter = new StreamRewriter(Out, outPayloadType: 100, clockRate: 90000, vp8: true, initialSequence: 1000, initialTimestamp: 5000);
        var start = Ticks(1000);
        var forwarded = new List<Vp8Fields>();
        for (var i = 0; i < 3; i++)
        {
            var packet = Vp8(Low, (ushort)(40000 + i), 700000u + (uint)(i * 3000), pictureId: 10 + i, tl0: 5 + i, keyframeStart: i == 0);
            Assert.True(rewriter.Rewrite(packet, Header(packet), newEpoch: i == 0, now: start + Ticks(i * 33)));
            forwarded.Add(Read(packet));
        }
        // Switch to the high layer on its keyframe, 33 ms later: its numbers are unrelated to the low layer's.
        for (var i = 0; i < 2; i++)
        {
            var packet = Vp8(High, (ushort)(9 + i), 123u + (uint)(i * 3000), pictureId: 30000 + i, tl0: 200 + i, keyframeStart: i == 0);
            Assert.True(rewriter.Rewrite(packet, Header(packet), newEpoch: i == 0, now: start + Ticks(99 + i * 33)));
            forwarded.Add(Read(packet));
        }

        Assert.All(forwarded, f => Assert.Equal(Out, f.Ssrc));
        Assert.Equal(new ushort[] { 1000, 1001, 1002, 1003, 1004 }, forwarded.Select(f => f.Sequence));
        Assert.Equal(5000u, forwarded[0].Timestamp);
        Assert.Equal(11000u, forwarded[2].Timestamp);
        // 33 ms at 90 kHz after the last forwarded packet: the picture moves on, it does not jump or go back.
        Assert.InRange(forwarded[3].Timestamp - forwarded[2].Timestamp, 2900u, 3100u);
        Assert.Equal(forwarded[3].Timestamp + 3000, forwarded[4].Timestamp);
        Assert.Equal(new[] { 10, 11, 12, 13, 14 }, forwarded.Select(f => f.PictureId));
        Assert.Equal(new[] { 5, 6, 7, 8, 9 }, forwarded.Select(f => f.Tl0));
    }

    [Fact]
    public void A_straggler_of_the_old_source_after_a_switch_is_not_forwarded()
    {
        var rewriter = new StreamRewriter(Out, 96, 90000, vp8: true);
        var first = Vp8(Low, 100, 1000, 1, 1, keyframeStart: true);
        rewriter.Rewrite(first, Header(first), newEpoch: true);
        var switched = Vp8(High, 500, 90000, 7, 3, keyframeStart: true);
        Assert.True(rewriter.Rewrite(switched, Header(switched), newEpoch: true));
        var reordered = Vp8(High, 499, 89000, 6, 3, keyframeStart: false);
        Assert.False(rewriter.Rewrite(reordered, Header(reordered), newEpoch: false));
    }

    [Fact]
    public void Picture_ids_wrap_in_the_width_the_packet_uses()
    {
        var rewriter = new StreamRewriter(Out, 96, 90000, vp8: true);
        var a = Vp8(Low, 1, 0, 32766, 1, keyframeStart: true);
        rewriter.Rewrite(a, Header(a), newEpoch: true);
        var b = Vp8(Low, 2, 3000, 32767, 1, keyframeStart: false);
        rewriter.Rewrite(b, Header(b), newEpoch: false);
        var c = Vp8(Low, 3, 6000, 0, 2, keyframeStart: false);
        rewriter.Rewrite(c, Header(c), newEpoch: false);
        Assert.Equal(0, Read(c).PictureId);
        var shortId = Vp8(Low, 4, 9000, 1, 2, keyframeStart: false, shortPictureId: true);
        rewriter.Rewrite(shortId, Header(shortId), newEpoch: false);
        Assert.Equal(1, Read(shortId).PictureId);
    }

    [Fact]
    public void A_nack_maps_back_to_the_source_packet_and_its_retransmission_gets_the_same_numbers()
    {
        var rewriter = new StreamRewriter(Out, 96, 90000, vp8: true, initialSequence: 60000);
        var cache = new PacketCache(64);
        byte[]? third = null;
        for (var i = 0; i < 5; i++)
        {
            var packet = Vp8(Low, (ushort)(65534 + i), (uint)(i * 3000), i, 0, keyframeStart: i == 0);
            cache.Store(Header(packet).SequenceNumber, packet);
            rewriter.Rewrite(packet, Header(packet), newEpoch: i == 0);
            if (i == 2)
                third = packet;
        }
        var lost = Read(third!);
        Assert.True(rewriter.TryMapBack(lost.Sequence, out var ssrc, out var sourceSequence));
        Assert.Equal(Low, ssrc);
        Assert.Equal((ushort)0, sourceSequence);

        var buffer = new byte[PacketCache.MaxPacketLength];
        Assert.True(cache.TryCopy(sourceSequence, buffer, out var length));
        var again = buffer[..length];
        Assert.True(rewriter.RewriteRetransmission(again, Header(again)));
        Assert.Equal(lost, Read(again));
        Assert.False(rewriter.TryMapBack((ushort)(rewriter.LastSequence + 1), out _, out _));
    }

    [Fact]
    public void The_cache_forgets_packets_older_than_its_capacity()
    {
        var cache = new PacketCache(8);
        var packet = Vp8(Low, 1, 0, 1, 1, true);
        cache.Store(1, packet);
        cache.Store(9, Vp8(Low, 9, 0, 2, 1, false));
        Assert.False(cache.TryCopy(1, new byte[1500], out _));
        Assert.True(cache.TryCopy(9, new byte[1500], out var length));
        Assert.Equal(packet.Length, length);
        Assert.False(cache.Store(2, new byte[PacketCache.MaxPacketLength + 1]));
    }
}
