using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Srtp;
using TlsHashAlgorithm = Org.BouncyCastle.Crypto.Tls.HashAlgorithm;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>
/// The client side of a DTLS-SRTP handshake (RFC 5764) as a browser does it: DTLS 1.0–1.2, ECDHE suites, use_srtp
/// offering AES-GCM then AES-CM-HMAC-SHA1-80, our ECDSA certificate on request, the server's certificate checked
/// against its SDP fingerprint, and the SRTP keys exported when the handshake completes.
/// </summary>
internal sealed class DtlsSrtpClient(DtlsCertificate certificate, DtlsFingerprint expectedServerFingerprint) : DefaultTlsClient
{
    private static readonly int[] SupportedCipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    ];

    private readonly DtlsCertificate _certificate = certificate;
    private readonly DtlsFingerprint _expectedServerFingerprint = expectedServerFingerprint;
    private SrtpProfile? _selectedProfile;

    /// <summary>Set once the handshake completed.</summary>
    public DtlsHandshakeResult? Result { get; private set; }

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => (int[])SupportedCipherSuites.Clone();

    public override IDictionary GetClientExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        int[] profiles = [DtlsSrtpProfiles.ToUseSrtpId(SrtpProfile.AeadAes128Gcm), DtlsSrtpProfiles.ToUseSrtpId(SrtpProfile.AesCm128HmacSha1_80)];
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(profiles, []));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? chosen = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        if (chosen is null || chosen.ProtectionProfiles.Length != 1)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        _selectedProfile = (SrtpProfile)chosen.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        SrtpProfile profile = _selectedProfile ?? throw new TlsFatalAlert(AlertDescription.internal_error);
        // BouncyCastle wipes the master secret once the handshake returns: export here.
        byte[] material = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, SrtpKeyingMaterial.Length(profile));
        Result = DtlsHandshakeResult.Success(profile, material, isDtlsServer: false);
    }

    private sealed class Authentication(DtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate)
        {
            if (serverCertificate is null || serverCertificate.IsEmpty
                || !client._expectedServerFingerprint.Matches(serverCertificate.GetCertificateAt(0).GetDerEncoded()))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest)
        {
            SignatureAndHashAlgorithm? signature = TlsUtilities.IsTlsV12(client.mContext)
                ? new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha256, SignatureAlgorithm.ecdsa)
                : null;
            return new DefaultTlsSignerCredentials(client.mContext, client._certificate.ToTlsCertificate(), client._certificate.PrivateKey, signature);
        }
    }
}
