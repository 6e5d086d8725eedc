using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.X509;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Tests.Dtls;

public sealed class DtlsCertificateTests
{
    [Fact]
    public void Self_signed_certificate_is_ecdsa_p256_and_verifies_with_its_own_key()
    {
        DtlsCertificate certificate = DtlsCertificate.CreateSelfSigned("sfu-test", TimeSpan.FromDays(7));
        X509Certificate parsed = new X509CertificateParser().ReadCertificate(certificate.Der);

        var publicKey = Assert.IsType<ECPublicKeyParameters>(parsed.GetPublicKey());
        Assert.Equal(256, publicKey.Parameters.Curve.FieldSize);
        Assert.Equal("1.2.840.10045.4.3.2", parsed.SigAlgOid); // ecdsa-with-SHA256
        parsed.Verify(publicKey);
        Assert.Equal("CN=sfu-test", parsed.SubjectDN.ToString());
        Assert.Equal(parsed.SubjectDN.ToString(), parsed.IssuerDN.ToString());
        Assert.InRange(parsed.NotAfter.ToUniversalTime(), DateTime.UtcNow.AddDays(6), DateTime.UtcNow.AddDays(8));
        Assert.IsType<ECPrivateKeyParameters>(certificate.PrivateKey);
    }

    [Fact]
    public void Two_certificates_have_different_keys_and_fingerprints()
    {
        DtlsCertificate first = DtlsCertificate.CreateSelfSigned();
        DtlsCertificate second = DtlsCertificate.CreateSelfSigned();
        Assert.NotEqual(first.Fingerprint, second.Fingerprint);
    }

    [Fact]
    public void Fingerprint_is_the_sha256_of_the_der_formatted_as_sdp_wants()
    {
        DtlsCertificate certificate = DtlsCertificate.CreateSelfSigned();
        string expectedHex = Convert.ToHexString(SHA256.HashData(certificate.Der));

        string value = certificate.Fingerprint.ToSdpValue();

        Assert.StartsWith("sha-256 ", value);
        string[] octets = value["sha-256 ".Length..].Split(':');
        Assert.Equal(32, octets.Length);
        Assert.Equal(expectedHex, string.Concat(octets));
        Assert.Matches("^sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$", value);
        Assert.True(certificate.Fingerprint.Matches(certificate.Der));
        Assert.False(certificate.Fingerprint.Matches(certificate.Der.AsSpan(1)));
    }

    [Fact]
    public void Fingerprint_round_trips_through_its_sdp_form_in_any_case()
    {
        DtlsFingerprint original = DtlsCertificate.CreateSelfSigned().Fingerprint;

        Assert.True(DtlsFingerprint.TryParse(original.ToSdpValue(), out DtlsFingerprint? upper));
        Assert.True(DtlsFingerprint.TryParse("  " + original.ToSdpValue().ToLowerInvariant().Replace("sha-256", "SHA-256") + " ", out DtlsFingerprint? lower));

        Assert.Equal(original, upper);
        Assert.Equal(original, lower);
    }

    [Fact]
    public void Sha1_fingerprint_from_an_older_peer_matches_its_certificate()
    {
        DtlsCertificate certificate = DtlsCertificate.CreateSelfSigned();
        string sha1 = "sha-1 " + string.Join(':', SHA1.HashData(certificate.Der).Select(b => b.ToString("x2")));

        Assert.True(DtlsFingerprint.TryParse(sha1, out DtlsFingerprint? fingerprint));
        Assert.Equal("sha-1", fingerprint.Algorithm);
        Assert.True(fingerprint.Matches(certificate.Der));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha-256")]
    [InlineData("md5 AB:CD")]
    [InlineData("sha-256 AB:CD:EF")]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:GG")]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:333")]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:+3")]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33 extra")]
    public void Malformed_fingerprints_are_refused(string? value)
    {
        Assert.False(DtlsFingerprint.TryParse(value, out DtlsFingerprint? fingerprint));
        Assert.Null(fingerprint);
    }
}
