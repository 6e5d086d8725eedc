using System.Diagnostics;

namespace Suite.Meetings.Media.Forwarding;

/// <summary>
/// Chooses which simulcast layer one subscriber receives: the highest layer not above what the subscriber asked for
/// (its tile size) whose measured bitrate fits the bandwidth estimated for that subscriber (the lowest layer always
/// fits). A change of layer happens only on a keyframe of the new layer — until then the old layer keeps flowing, so the
/// picture never freezes — and a keyframe request (PLI) for the new layer is asked for, at most every
/// <see cref="KeyframeRequestInterval"/>.
/// </summary>
internal sealed class SimulcastLayerSelector(int layerCount)
{
    public static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromMilliseconds(500);

    private readonly long[] _layerBitrates = new long[layerCount];
    private long _lastKeyframeRequest;

    /// <summary>-1 until the first keyframe arrives.</summary>
    public int CurrentLayer { get; private set; } = -1;

    public int TargetLayer { get; private set; }

    public int RequestedMaxLayer { get; set; } = layerCount - 1;

    public long EstimatedBandwidth { get; set; } = long.MaxValue;

    public int LayerCount { get; } = layerCount;

    /// <summary>The publisher's current bitrate of a layer (0 while that layer is not being received).</summary>
    public void SetLayerBitrate(int layer, long bitsPerSecond) => _layerBitrates[layer] = bitsPerSecond;

    /// <summary>Recomputes the target; returns the layer to ask a keyframe of (PLI), or -1.</summary>
    public int Update(long now = 0)
    {
        var target = 0;
        for (var layer = Math.Min(RequestedMaxLayer, LayerCount - 1); layer > 0; layer--)
        {
            if (_layerBitrates[layer] > 0 && _layerBitrates[layer] <= Allowance(layer))
            {
                target = layer;
                break;
            }
        }
        TargetLayer = target;
        if (target == CurrentLayer)
            return -1;
        if (now == 0)
            now = Stopwatch.GetTimestamp();
        if (_lastKeyframeRequest != 0 && Stopwatch.GetElapsedTime(_lastKeyframeRequest, now) < KeyframeRequestInterval)
            return -1;
        _lastKeyframeRequest = now;
        return target;
    }

    /// <summary>Hysteresis: a layer must fit with a tenth to spare to be switched up to, and is kept until it exceeds
    /// the estimate by a quarter, so that a layer whose bitrate hovers around the estimate does not flap (each switch
    /// costs a keyframe).</summary>
    private double Allowance(int layer) =>
        EstimatedBandwidth == long.MaxValue ? double.MaxValue
        : layer <= CurrentLayer ? EstimatedBandwidth * 1.25
        : EstimatedBandwidth * 0.9;

    /// <summary>Whether a packet of <paramref name="layer"/> goes to this subscriber; switches layer when it starts a
    /// keyframe of the target. <paramref name="switched"/> tells the rewriter to start a new epoch.</summary>
    public bool Accept(int layer, bool keyframeStart, out bool switched)
    {
        switched = false;
        if (layer == TargetLayer && layer != CurrentLayer && keyframeStart)
        {
            CurrentLayer = layer;
            switched = true;
        }
        return layer == CurrentLayer;
    }
}
