using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Tests.Srtp;

public sealed class SrtpReplayAndIndexTests
{
    [Theory]
    [InlineData(0x0000_1000, 0x1001, 0x0000_1001)] // next packet, same ROC
    [InlineData(0x0000_FFF0, 0x0005, 0x0001_0005)] // wrapped forward: ROC + 1
    [InlineData(0x0001_0005, 0xFFF0, 0x0000_FFF0)] // late packet from before the wrap: ROC − 1
    [InlineData(0x0001_9000, 0x0001, 0x0002_0001)] // s_l ≥ 32768 and more than 32768 below: next ROC
    [InlineData(0x0001_8000, 0x0001, 0x0001_0001)] // s_l − 32768 not above SEQ: same ROC (an old packet)
    [InlineData(0x0001_7FFE, 0xFFFF, 0x0000_FFFF)] // s_l < 32768 and more than 32768 above: previous ROC
    [InlineData(0x0001_7FFF, 0xFFFF, 0x0001_FFFF)] // exactly 32768 above: same ROC
    [InlineData(0x0005_4000, 0xC001, 0x0004_C001)] // more than half the space above: ROC − 1
    [InlineData(0x0005_4000, 0xC000, 0x0005_C000)] // exactly half: same ROC
    public void Rollover_counter_is_estimated_per_RFC_3711_appendix_A(long highest, int sequence, long expected)
    {
        Assert.Equal(SrtpError.None, SrtpIndex.Estimate(true, (ulong)highest, (ushort)sequence, out ulong index));
        Assert.Equal((ulong)expected, index);
    }

    [Fact]
    public void Estimates_outside_the_index_space_are_errors()
    {
        Assert.Equal(SrtpError.TooOld, SrtpIndex.Estimate(true, 0x0000_0010, 0xFFF0, out _));
        Assert.Equal(SrtpError.KeyExhausted, SrtpIndex.Estimate(true, 0xFFFF_FFFF_FFF0, 0x0001, out _));
        Assert.Equal(SrtpError.None, SrtpIndex.Estimate(false, 0, 0xABCD, out ulong first));
        Assert.Equal(0xABCDUL, first);
    }

    [Fact]
    public void Replay_window_accepts_each_index_once_within_64()
    {
        var window = default(SrtpReplayWindow);
        Assert.Equal(SrtpError.None, window.Check(1000));
        window.Accept(1000);
        Assert.Equal(SrtpError.Replayed, window.Check(1000));

        Assert.Equal(SrtpError.None, window.Check(990));
        window.Accept(990);
        Assert.Equal(SrtpError.Replayed, window.Check(990));

        Assert.Equal(SrtpError.None, window.Check(937)); // age 63: last slot
        Assert.Equal(SrtpError.TooOld, window.Check(936)); // age 64

        window.Accept(1100); // jump beyond the window: only 1100 remembered
        Assert.Equal(1100UL, window.Highest);
        Assert.Equal(SrtpError.TooOld, window.Check(1000));
        Assert.Equal(SrtpError.None, window.Check(1099));
        Assert.Equal(SrtpError.Replayed, window.Check(1100));

        window.Accept(1101);
        Assert.Equal(SrtpError.Replayed, window.Check(1100)); // bit shifted, still remembered
    }
}
