namespace Suite.Meetings.Media.Srtp;

/// <summary>Per-SSRC state of one context: RTP index and replay window, SRTCP index and replay window.</summary>
internal sealed class SrtpStream
{
    public SrtpReplayWindow Rtp;

    public SrtpReplayWindow Rtcp;

    /// <summary>Next SRTCP index to send (outbound contexts).</summary>
    public uint NextRtcpIndex;
}
