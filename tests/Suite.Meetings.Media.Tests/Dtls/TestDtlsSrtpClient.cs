using System.Collections;
using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Dtls;
using TlsHashAlgorithm = Org.BouncyCastle.Crypto.Tls.HashAlgorithm;

namespace Suite.Meetings.Media.Tests.Dtls;

/// <summary>
/// A browser stand-in written directly on BouncyCastle's DTLS client (independent of the server code under test):
/// offers use_srtp with the given profiles, presents its own certificate, records what the server sent and exports
/// the SRTP keying material the same way RFC 5764 says both ends must.
/// </summary>
internal sealed class TestDtlsSrtpClient(
    DtlsCertificate certificate, int[] offeredProfiles, ProtocolVersion? version = null, bool presentCertificate = true)
    : DefaultTlsClient
{
    private readonly ProtocolVersion _version = version ?? ProtocolVersion.DTLSv12;
    private readonly DtlsCertificate _certificate = certificate;
    private readonly bool _presentCertificate = presentCertificate;

    public int SelectedProfile { get; private set; } = -1;

    public byte[]? KeyingMaterial { get; private set; }

    public byte[]? ServerCertificateDer { get; private set; }

    public int NegotiatedCipherSuite => mSelectedCipherSuite;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv10;

    public override ProtocolVersion ClientVersion => _version;

    public override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
    ];

    public override IDictionary GetClientExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(offeredProfiles, []));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        UseSrtpData? selected = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        SelectedProfile = selected is { ProtectionProfiles.Length: 1 } ? selected.ProtectionProfiles[0] : -1;
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        int length = SelectedProfile == SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM ? 2 * (16 + 12) : 2 * (16 + 14);
        KeyingMaterial = mContext.ExportKeyingMaterial(ExporterLabel.dtls_srtp, null, length);
    }

    private sealed class Authentication(TestDtlsSrtpClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate) =>
            client.ServerCertificateDer = serverCertificate.GetCertificateAt(0).GetDerEncoded();

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            if (!client._presentCertificate)
            {
                return null;
            }

            SignatureAndHashAlgorithm? signature = TlsUtilities.IsTlsV12(client.mContext)
                ? new SignatureAndHashAlgorithm(TlsHashAlgorithm.sha256, SignatureAlgorithm.ecdsa)
                : null;
            return new DefaultTlsSignerCredentials(
                client.mContext, client._certificate.ToTlsCertificate(), client._certificate.PrivateKey, signature);
        }
    }
}
