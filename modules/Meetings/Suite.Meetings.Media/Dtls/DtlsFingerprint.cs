using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Suite.Meetings.Media.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it (RFC 8122 §5): <c>a=fingerprint:sha-256 AB:CD:…</c>.
/// The DTLS peer's certificate must hash to the fingerprint its SDP announced; that binds the media keys to the
/// signalling channel, since WebRTC certificates are self-signed.
/// </summary>
internal sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    private readonly byte[] _digest;

    private DtlsFingerprint(string algorithm, byte[] digest)
    {
        Algorithm = algorithm;
        _digest = digest;
    }

    /// <summary>The hash function's name as SDP spells it, lower case: sha-1, sha-224, sha-256, sha-384, sha-512.</summary>
    public string Algorithm { get; }

    public ReadOnlySpan<byte> Digest => _digest;

    /// <summary>The SHA-256 fingerprint of a DER-encoded certificate.</summary>
    public static DtlsFingerprint Sha256(ReadOnlySpan<byte> certificateDer) => new("sha-256", SHA256.HashData(certificateDer));

    /// <summary>Parses the value of an a=fingerprint attribute. Unknown hash functions and malformed hex are refused.</summary>
    public static bool TryParse(string? sdpValue, [NotNullWhen(true)] out DtlsFingerprint? fingerprint)
    {
        fingerprint = null;
        if (string.IsNullOrWhiteSpace(sdpValue))
        {
            return false;
        }

        string[] parts = sdpValue.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2)
        {
            return false;
        }

        string algorithm = parts[0].ToLowerInvariant();
        int? expectedLength = DigestLength(algorithm);
        string[] octets = parts[1].Split(':');
        if (expectedLength is null || octets.Length != expectedLength)
        {
            return false;
        }

        byte[] digest = new byte[octets.Length];
        for (int i = 0; i < octets.Length; i++)
        {
            if (octets[i].Length != 2
                || !byte.TryParse(octets[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out digest[i]))
            {
                return false;
            }
        }

        fingerprint = new DtlsFingerprint(algorithm, digest);
        return true;
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes, with this fingerprint's function, to this digest.</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        byte[] actual = Algorithm switch
        {
            "sha-1" => SHA1.HashData(certificateDer),
            "sha-224" => Sha224(certificateDer),
            "sha-256" => SHA256.HashData(certificateDer),
            "sha-384" => SHA384.HashData(certificateDer),
            "sha-512" => SHA512.HashData(certificateDer),
            _ => [],
        };
        return CryptographicOperations.FixedTimeEquals(actual, _digest);
    }

    /// <summary>The attribute value: algorithm, a space, upper-case hex octets joined by colons.</summary>
    public string ToSdpValue()
    {
        var text = new StringBuilder(Algorithm.Length + 1 + (_digest.Length * 3));
        text.Append(Algorithm).Append(' ');
        for (int i = 0; i < _digest.Length; i++)
        {
            if (i > 0)
            {
                text.Append(':');
            }

            text.Append(_digest[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    public override string ToString() => ToSdpValue();

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && Algorithm == other.Algorithm && _digest.AsSpan().SequenceEqual(other._digest);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, _digest.Length > 0 ? _digest[0] : 0, _digest.Length);

    private static int? DigestLength(string algorithm) => algorithm switch
    {
        "sha-1" => 20,
        "sha-224" => 28,
        "sha-256" => 32,
        "sha-384" => 48,
        "sha-512" => 64,
        _ => null,
    };

    // The BCL has no SHA-224; BouncyCastle does.
    private static byte[] Sha224(ReadOnlySpan<byte> data)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.Sha224Digest();
        byte[] input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        byte[] output = new byte[digest.GetDigestSize()];
        digest.DoFinal(output, 0);
        return output;
    }
}
