using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Sdp;

public sealed class H264ProfileLevelIdTests
{
    [Theory]
    [InlineData("42e01f", (int)H264Profile.ConstrainedBaseline, 0x1f)]
    [InlineData("42c01f", (int)H264Profile.ConstrainedBaseline, 0x1f)]
    [InlineData("42001f", (int)H264Profile.Baseline, 0x1f)]
    [InlineData("4d001f", (int)H264Profile.Main, 0x1f)]
    [InlineData("4d801f", (int)H264Profile.ConstrainedBaseline, 0x1f)]
    [InlineData("640c1f", (int)H264Profile.ConstrainedHigh, 0x1f)]
    [InlineData("640034", (int)H264Profile.High, 0x34)]
    [InlineData("F4001F", (int)H264Profile.Other, 0x1f)]
    public void Profile_and_level_are_read_from_the_hex_triplet(string text, int profile, int level)
    {
        Assert.True(H264ProfileLevelId.TryParse(text, out H264ProfileLevelId parsed));
        Assert.Equal((H264Profile)profile, parsed.Profile);
        Assert.Equal(level, parsed.LevelIdc);
        Assert.Equal(text.ToLowerInvariant(), parsed.ToString());
    }

    [Fact]
    public void Absent_parameter_means_baseline_level_1()
    {
        Assert.True(H264ProfileLevelId.TryParse(null, out H264ProfileLevelId parsed));
        Assert.Equal(H264Profile.Baseline, parsed.Profile);
        Assert.Equal(0x0A, parsed.LevelIdc);
    }

    [Theory]
    [InlineData("")]
    [InlineData("42e01")]
    [InlineData("42e01f0")]
    [InlineData("42g01f")]
    [InlineData("+2e01f")]
    public void Malformed_values_are_refused(string text) => Assert.False(H264ProfileLevelId.TryParse(text, out _));
}
