using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Suite.Meetings.Media.Stun;

/// <summary>
/// A short-term credential key (RFC 8489 §9.1.1) with a cached HMAC-SHA1 state, so that checking or signing a
/// message allocates nothing. ICE passwords are made of ice-chars (RFC 8839 §5.4), which SASLprep/OpaqueString
/// leaves unchanged, so the key is the UTF-8 of the password. Safe to share between threads (calls are serialized).
/// </summary>
internal sealed class StunIntegrityKey : IDisposable
{
    private readonly IncrementalHash _hmac;
    private readonly Lock _gate = new();

    public StunIntegrityKey(ReadOnlySpan<byte> key)
    {
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
    }

    public static StunIntegrityKey FromPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return new StunIntegrityKey(Encoding.UTF8.GetBytes(password));
    }

    /// <summary>
    /// Computes MESSAGE-INTEGRITY over <paramref name="messageBeforeIntegrity"/> (header + attributes before the
    /// MESSAGE-INTEGRITY attribute), as if the header length ended just after MESSAGE-INTEGRITY (RFC 8489 §14.5).
    /// </summary>
    public void Compute(ReadOnlySpan<byte> messageBeforeIntegrity, Span<byte> mac)
    {
        if (messageBeforeIntegrity.Length < StunConstants.HeaderLength || mac.Length < StunConstants.MessageIntegrityLength)
        {
            throw new ArgumentException("A STUN header and a 20-byte destination are required.");
        }

        Span<byte> header = stackalloc byte[StunConstants.HeaderLength];
        messageBeforeIntegrity[..StunConstants.HeaderLength].CopyTo(header);
        int lengthThroughIntegrity = messageBeforeIntegrity.Length - StunConstants.HeaderLength
            + StunConstants.AttributeHeaderLength + StunConstants.MessageIntegrityLength;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)lengthThroughIntegrity);

        lock (_gate)
        {
            _hmac.AppendData(header);
            _hmac.AppendData(messageBeforeIntegrity[StunConstants.HeaderLength..]);
            _hmac.GetHashAndReset(mac);
        }
    }

    public bool Verify(ReadOnlySpan<byte> messageBeforeIntegrity, ReadOnlySpan<byte> receivedMac)
    {
        if (receivedMac.Length != StunConstants.MessageIntegrityLength)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[StunConstants.MessageIntegrityLength];
        Compute(messageBeforeIntegrity, expected);
        return CryptographicOperations.FixedTimeEquals(expected, receivedMac);
    }

    public void Dispose() => _hmac.Dispose();
}
