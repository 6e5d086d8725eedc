using System.Diagnostics.CodeAnalysis;
using System.Net;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Sdp;

/// <summary>
/// What the SFU announces about one participant's transport: its ICE credentials for that participant, its DTLS
/// certificate fingerprint, and the host addresses of the shared media port (one candidate each).
/// </summary>
internal sealed record SfuTransportParameters(
    string IceUfrag, string IcePwd, DtlsFingerprint Fingerprint, IReadOnlyList<IPEndPoint> HostAddresses);

/// <summary>The peer's transport parameters taken from its SDP: what ICE and DTLS need to check it.</summary>
internal sealed record RemoteTransportParameters(string IceUfrag, string IcePwd, DtlsFingerprint Fingerprint, SdpSetupRole Setup)
{
    /// <summary>
    /// Reads them from the first m-section of the BUNDLE group (all bundled sections share one transport), so that
    /// a session can be created before the answer, which needs the session's own credentials, is written.
    /// </summary>
    public static bool TryRead(SessionDescription description, [NotNullWhen(true)] out RemoteTransportParameters? remote, out string error)
    {
        ArgumentNullException.ThrowIfNull(description);
        remote = null;
        string? firstMid = description.BundleMids.FirstOrDefault();
        MediaDescription? tagged = firstMid is null ? null : description.FindByMid(firstMid);
        if (tagged is null)
        {
            error = "no BUNDLE group naming an m-section";
            return false;
        }

        return TryRead(tagged, out remote, out error);
    }

    public static bool TryRead(MediaDescription media, [NotNullWhen(true)] out RemoteTransportParameters? remote, out string error)
    {
        ArgumentNullException.ThrowIfNull(media);
        remote = null;
        if (media.EffectiveIceUfrag is not string ufrag || media.EffectiveIcePwd is not string pwd)
        {
            error = "the offer has no ICE credentials";
            return false;
        }

        if (media.EffectiveFingerprint is not DtlsFingerprint fingerprint)
        {
            error = "the offer has no usable DTLS fingerprint";
            return false;
        }

        error = "";
        remote = new RemoteTransportParameters(ufrag, pwd, fingerprint, media.EffectiveSetup);
        return true;
    }
}
