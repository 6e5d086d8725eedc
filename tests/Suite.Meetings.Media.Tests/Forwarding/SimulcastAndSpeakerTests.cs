using Suite.Meetings.Media.Forwarding;

namespace Suite.Meetings.Media.Tests.Forwarding;

public sealed class SimulcastLayerSelectorTests
{
    [Fact]
    public void The_layer_follows_the_smaller_of_the_requested_layer_and_the_bandwidth()
    {
        var selector = new SimulcastLayerSelector(3);
        selector.SetLayerBitrate(0, 150_000);
        selector.SetLayerBitrate(1, 500_000);
        selector.SetLayerBitrate(2, 1_500_000);
        selector.Update(1);
        Assert.Equal(2, selector.TargetLayer);
        selector.RequestedMaxLayer = 1;
        selector.Update(1);
        Assert.Equal(1, selector.TargetLayer);
        selector.RequestedMaxLayer = 2;
        selector.EstimatedBandwidth = 400_000;
        selector.Update(1);
        Assert.Equal(0, selector.TargetLayer);
        selector.EstimatedBandwidth = 10_000;
        selector.Update(1);
        Assert.Equal(0, selector.TargetLayer);
    }

    [Fact]
    public void A_switch_waits_for_a_keyframe_of_the_new_layer_while_the_old_layer_keeps_flowing()
    {
        var selector = new SimulcastLayerSelector(3);
        selector.SetLayerBitrate(0, 150_000);
        selector.SetLayerBitrate(2, 1_500_000);
        selector.EstimatedBandwidth = 200_000;
        Assert.Equal(0, selector.Update(ForwardingPackets.Ticks(1000)));
        Assert.True(selector.Accept(0, keyframeStart: true, out var switched) && switched);

        selector.EstimatedBandwidth = 5_000_000;
        Assert.Equal(2, selector.Update(ForwardingPackets.Ticks(2000)));
        Assert.False(selector.Accept(2, keyframeStart: false, out _));
        Assert.True(selector.Accept(0, keyframeStart: false, out switched));
        Assert.False(switched);
        // No second keyframe request within the interval.
        Assert.Equal(-1, selector.Update(ForwardingPackets.Ticks(2100)));
        Assert.Equal(2, selector.Update(ForwardingPackets.Ticks(2600)));

        Assert.True(selector.Accept(2, keyframeStart: true, out switched));
        Assert.True(switched);
        Assert.False(selector.Accept(0, keyframeStart: true, out _));
        Assert.Equal(2, selector.CurrentLayer);
    }
}

public sealed class SimulcastHysteresisTests
{
    [Fact]
    public void A_layer_whose_bitrate_hovers_around_the_estimate_is_neither_taken_too_eagerly_nor_dropped_on_a_wobble()
    {
        var selector = new SimulcastLayerSelector(3);
        selector.SetLayerBitrate(0, 150_000);
        selector.SetLayerBitrate(1, 520_000);
        selector.SetLayerBitrate(2, 1_500_000);
        selector.EstimatedBandwidth = 540_000;
        selector.Update(ForwardingPackets.Ticks(1000));
        Assert.Equal(0, selector.TargetLayer); // fits, but without a tenth to spare: not worth a keyframe yet
        Assert.True(selector.Accept(0, keyframeStart: true, out _));

        selector.EstimatedBandwidth = 600_000;
        selector.Update(ForwardingPackets.Ticks(2000));
        Assert.Equal(1, selector.TargetLayer);
        Assert.True(selector.Accept(1, keyframeStart: true, out bool switched) && switched);

        selector.EstimatedBandwidth = 480_000; // the layer now slightly exceeds the estimate: kept
        selector.Update(ForwardingPackets.Ticks(3000));
        Assert.Equal(1, selector.TargetLayer);

        selector.EstimatedBandwidth = 300_000; // clearly too much: down
        selector.Update(ForwardingPackets.Ticks(4000));
        Assert.Equal(0, selector.TargetLayer);
    }
}

public sealed class ActiveSpeakerDetectorTests
{
    [Fact]
    public void The_dominant_speaker_changes_only_after_someone_is_clearly_louder_for_a_while()
    {
        var detector = new ActiveSpeakerDetector();
        var changes = new List<string?>();
        detector.SpeakerChanged += changes.Add;
        void Round(int alice, int bob)
        {
            for (var i = 0; i < 5; i++)
            {
                detector.OnAudioLevel("alice", alice);
                detector.OnAudioLevel("bob", bob);
            }
            detector.Evaluate();
        }

        Round(alice: 20, bob: 127);
        Assert.Equal("alice", detector.DominantSpeaker);
        Round(alice: 127, bob: 15);
        Assert.Equal("alice", detector.DominantSpeaker);
        Round(alice: 127, bob: 15);
        Round(alice: 127, bob: 15);
        Assert.Equal("bob", detector.DominantSpeaker);
        Assert.Equal(new string?[] { "alice", "bob" }, changes);

        detector.Remove("bob");
        Assert.Null(detector.DominantSpeaker);
        Assert.Equal(new string?[] { "alice", "bob", null }, changes);
    }

    [Fact]
    public void Silence_makes_nobody_dominant()
    {
        var detector = new ActiveSpeakerDetector();
        detector.OnAudioLevel("alice", 127);
        detector.OnAudioLevel("bob", 40, voiceActivity: false);
        detector.Evaluate();
        Assert.Null(detector.DominantSpeaker);
    }
}
