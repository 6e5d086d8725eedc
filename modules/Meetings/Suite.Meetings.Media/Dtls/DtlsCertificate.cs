using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// The SFU's DTLS identity: a self-signed ECDSA P-256 certificate (what browsers generate for themselves too) and
/// its private key. Peers do not check names or dates, only that the certificate hashes to the SDP fingerprint, so
/// one certificate per process, rotated before <see cref="NotAfter"/>, is enough. Immutable and thread-safe.
/// </summary>
internal sealed class DtlsCertificate
{
    public static readonly TimeSpan DefaultValidity = TimeSpan.FromDays(30);

    private DtlsCertificate(X509CertificateStructure certificate, AsymmetricKeyParameter privateKey, DateTime notAfter)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        Der = certificate.GetDerEncoded();
        Fingerprint = DtlsFingerprint.Sha256(Der);
        NotAfter = notAfter;
    }

    public X509CertificateStructure Certificate { get; }

    public AsymmetricKeyParameter PrivateKey { get; }

    public byte[] Der { get; }

    /// <summary>What our SDP announces in a=fingerprint.</summary>
    public DtlsFingerprint Fingerprint { get; }

    public DateTime NotAfter { get; }

    /// <summary>The one-certificate chain that the TLS layer sends.</summary>
    public TlsCertificate ToTlsCertificate() => new([Certificate]);

    public static DtlsCertificate CreateSelfSigned(string commonName = "suite-meetings", TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keyPair = keyGenerator.GenerateKeyPair();

        DateTime notBefore = DateTime.UtcNow.AddDays(-1);
        DateTime notAfter = DateTime.UtcNow.Add(validity ?? DefaultValidity);
        var name = new X509Name($"CN={commonName}");
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigIntegers.CreateRandomInRange(BigInteger.One, BigInteger.ValueOf(long.MaxValue), random));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(notBefore);
        generator.SetNotAfter(notAfter);
        generator.SetPublicKey(keyPair.Public);
        X509Certificate certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));

        var structure = X509CertificateStructure.GetInstance(Asn1Object.FromByteArray(certificate.GetEncoded()));
        return new DtlsCertificate(structure, keyPair.Private, notAfter);
    }
}
