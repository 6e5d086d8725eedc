using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// The outcome of a DTLS-SRTP handshake: the negotiated profile and both directions' SRTP master keys, or a reason.
/// <see cref="Local"/> is what we protect with, <see cref="Remote"/> what the peer protects with (for the SFU as
/// DTLS server: the server and client write keys, RFC 5764 §4.2).
/// </summary>
internal sealed class DtlsHandshakeResult
{
    private DtlsHandshakeResult(
        DtlsFailureReason failureReason, string detail, SrtpProfile profile, SrtpMasterKey? local, SrtpMasterKey? remote)
    {
        FailureReason = failureReason;
        Detail = detail;
        Profile = profile;
        Local = local;
        Remote = remote;
    }

    public bool Succeeded => FailureReason == DtlsFailureReason.None;

    public DtlsFailureReason FailureReason { get; }

    /// <summary>A short human-readable explanation, for logs and the participant-failed event.</summary>
    public string Detail { get; }

    public SrtpProfile Profile { get; }

    public SrtpMasterKey? Local { get; }

    public SrtpMasterKey? Remote { get; }

    public static DtlsHandshakeResult Success(SrtpProfile profile, ReadOnlySpan<byte> keyingMaterial, bool isDtlsServer)
    {
        SrtpKeyingMaterial.Split(profile, keyingMaterial, isDtlsServer, out SrtpMasterKey local, out SrtpMasterKey remote);
        return new DtlsHandshakeResult(DtlsFailureReason.None, $"negotiated {profile}", profile, local, remote);
    }

    public static DtlsHandshakeResult Failure(DtlsFailureReason reason, string detail)
    {
        if (reason == DtlsFailureReason.None)
        {
            throw new ArgumentException("A failure needs a reason.", nameof(reason));
        }

        return new DtlsHandshakeResult(reason, detail, default, null, null);
    }

    /// <summary>The outbound (protect what we send) and inbound (unprotect what the peer sends) SRTP contexts.</summary>
    public void CreateSrtpContexts(out SrtpContext outbound, out SrtpContext inbound)
    {
        if (Local is null || Remote is null)
        {
            throw new InvalidOperationException($"The handshake failed ({FailureReason}): there are no keys.");
        }

        outbound = Local.CreateContext();
        inbound = Remote.CreateContext();
    }

    public override string ToString() => Succeeded ? Detail : $"{FailureReason}: {Detail}";
}
