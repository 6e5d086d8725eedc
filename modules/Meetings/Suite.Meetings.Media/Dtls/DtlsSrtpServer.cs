using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Srtp;
using TlsHashAlgorithm = Org.BouncyCastle.Crypto.Tls.HashAlgorithm;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// The TLS side of one DTLS-SRTP handshake with the SFU as server (RFC 5764): DTLS 1.0–1.2, ECDHE_ECDSA suites,
/// use_srtp negotiation, a mandatory client certificate checked against the fingerprint from the peer's SDP, and
/// the SRTP keying material exported when the handshake completes. One instance per handshake.
/// </summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private static readonly int[] SupportedCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    private readonly DtlsCertificate _certificate;
    private readonly DtlsFingerprint _expectedClientFingerprint;
    private readonly IReadOnlyList<SrtpProfile> _profilePreference;
    private SrtpProfile? _selectedProfile;

    public DtlsSrtpServer(DtlsCertificate certificate, DtlsFingerprint expectedClientFingerprint, IReadOnlyList<SrtpProfile>? profilePreference = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(expectedClientFingerprint);
        _certificate = certificate;
        _expectedClientFingerprint = expectedClientFingerprint;
        _profilePreference = profilePreference ?? DtlsSrtpProfiles.DefaultPreference;
    }

    /// <summary>Set once the handshake completed: the negotiated profile and the exporter output.</summary>
    public DtlsHandshakeResult? Result { get; private set; }

    /// <summary>Set when this class itself refused the peer, so the failure has a precise reason.</summary>
    public DtlsFailureReason RefusalReason { get; private set; }

    public string? RefusalDetail { get; private set; }

    /// <summary>The last fatal alert the peer sent, if any.</summary>
    public byte? AlertReceived { get; private set; }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() => (int[])SupportedCipherSuites.Clone();

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(mContext, _certificate.ToTlsCertificate(), _certificate.PrivateKey, SignatureFor(mContext));

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        UseSrtpData? offered = clientExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        if (!DtlsSrtpProfiles.TrySelect(_profilePreference, offered?.ProtectionProfiles, out SrtpProfile selected))
        {
            // Refused in GetCredentials: BouncyCastle cannot send an alert before its ServerHello has gone out,
            // and a client left without one would wait for its own timeout.
            string offeredText = offered is null ? "no use_srtp extension" : $"profiles [{string.Join(", ", offered.ProtectionProfiles)}]";
            RefusalReason = DtlsFailureReason.NoCommonSrtpProfile;
            RefusalDetail = $"client offered {offeredText}";
            return;
        }

        _selectedProfile = selected;
    }

    public override IDictionary GetServerExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        if (_selectedProfile is SrtpProfile profile)
        {
            // RFC 5764 §4.1.1: answer with exactly one profile and no MKI (WebRTC never uses one).
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([DtlsSrtpProfiles.ToUseSrtpId(profile)], []));
        }

        return extensions;
    }

    public override TlsCredentials GetCredentials()
    {
        if (RefusalReason != DtlsFailureReason.None)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        return base.GetCredentials();
    }

    public override CertificateRequest GetCertificateRequest()
    {
        byte[] certificateTypes = [ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign];
        IList? signatureAlgorithms = null;
        if (TlsUtilities.IsTlsV12(mContext))
        {
            signatureAlgorithms = new ArrayList
            {
                new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
                new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
                new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha256, SignatureAlgorithm.rsa),
                new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
                new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha1, SignatureAlgorithm.rsa),
            };
        }

        return new CertificateRequest(certificateTypes, signatureAlgorithms, null);
    }

    public override void NotifyClientCertificate(Certificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty)
        {
            throw Refuse(DtlsFailureReason.NoClientCertificate, "client sent no certificate", AlertDescription.handshake_failure);
        }

        byte[] der = clientCertificate.GetCertificateAt(0).GetDerEncoded();
        if (!_expectedClientFingerprint.Matches(der))
        {
            string actual = DtlsFingerprint.Sha256(der).ToSdpValue();
            throw Refuse(
                DtlsFailureReason.FingerprintMismatch,
                $"certificate {actual} does not match SDP {_expectedClientFingerprint.Algorithm} fingerprint",
                AlertDescription.bad_certificate);
        }
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription)
    {
        base.NotifyAlertReceived(alertLevel, alertDescription);
        if (alertLevel == AlertLevel.fatal)
        {
            AlertReceived = alertDescription;
        }
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpProfile profile = _selectedProfile
            ?? throw Refuse(DtlsFailureReason.NoCommonSrtpProfile, "no SRTP profile was negotiated", AlertDescription.internal_error);

        // Must happen here: BouncyCastle clears the master secret once the handshake returns.
        byte[] material = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.Length(profile));
        Result = DtlsHandshakeResult.Success(profile, material, isDtlsServer: true);
        Array.Clear(material);
    }

    /// <summary>DTLS 1.2 names the signature algorithm explicitly; DTLS 1.0 must not.</summary>
    private static SignatureAndHashAlgorithm? SignatureFor(TlsContext context) =>
        TlsUtilities.IsTlsV12(context) ? new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha256, SignatureAlgorithm.ecdsa) : null;

    private TlsFatalAlert Refuse(DtlsFailureReason reason, string detail, byte alert)
    {
        RefusalReason = reason;
        RefusalDetail = detail;
        return new TlsFatalAlert(alert);
    }
}
