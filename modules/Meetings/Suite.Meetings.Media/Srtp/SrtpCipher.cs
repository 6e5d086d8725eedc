namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// The per-packet transform of one protection profile, with the session keys of one direction. The caller
/// (<see cref="SrtpContext"/>) has validated lengths and chosen the index; these methods only do cryptography,
/// in place. Not thread-safe.
/// </summary>
internal abstract class SrtpCipher : IDisposable
{
    /// <summary>The E flag of the SRTCP index word: the packet body is encrypted.</summary>
    protected const uint EncryptedFlag = 0x8000_0000;

    /// <summary>Bytes appended to an RTP packet (the tag).</summary>
    public abstract int RtpOverhead { get; }

    /// <summary>Bytes appended to an RTCP packet (tag and E‖index).</summary>
    public abstract int RtcpOverhead { get; }

    public static SrtpCipher Create(SrtpSessionKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Profile == SrtpProfile.AeadAes128Gcm ? new AesGcmSrtpCipher(keys) : new AesCmHmacSha1Cipher(keys);
    }

    /// <summary>Encrypts and tags packet[..length]; the buffer has room for the overhead. Returns the new length.</summary>
    public abstract int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index);

    /// <summary>Verifies and decrypts <paramref name="packet"/> in place; false on a bad tag (drop the packet then).</summary>
    public abstract bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index, out int plainLength);

    /// <summary>Reads the E flag and SRTCP index from a protected RTCP packet of at least 8 + overhead bytes.</summary>
    public abstract uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet);

    public abstract int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index);

    public abstract bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord, out int plainLength);

    public abstract void Dispose();
}
