using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714): 12-byte IV = salt XOR (0x0000 ‖ SSRC ‖ ROC ‖ SEQ) for RTP and
/// salt XOR (0x0000 ‖ SSRC ‖ 0x0000 ‖ SRTCP index) for RTCP; the RTP header (or the RTCP header and E‖index word)
/// is the associated data; the 16-byte tag follows the ciphertext, and SRTCP ends with E‖index (§9.1, §17).
/// </summary>
internal sealed class AesGcmSrtpCipher : SrtpCipher
{
    private const int TagLength = SrtpProfiles.GcmTagLength;
    private const int NonceLength = 12;

    private readonly Direction _rtp;
    private readonly Direction _rtcp;

    public AesGcmSrtpCipher(SrtpSessionKeys keys, bool useTagPrecheck = true)
    {
        _rtp = new Direction(keys.RtpKey, keys.RtpSalt, useTagPrecheck);
        _rtcp = new Direction(keys.RtcpKey, keys.RtcpSalt, useTagPrecheck);
    }

    public override int RtpOverhead => TagLength;

    public override int RtcpOverhead => TagLength + SrtpProfiles.SrtcpIndexLength;

    public override int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        _rtp.RtpNonce(ssrc, index, nonce);
        Span<byte> body = buffer[headerLength..length];
        _rtp.Seal(nonce, buffer[..headerLength], body, buffer.Slice(length, TagLength));
        return length + TagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index, out int plainLength)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        _rtp.RtpNonce(ssrc, index, nonce);
        int cipherEnd = packet.Length - TagLength;
        plainLength = cipherEnd;
        if (!_rtp.Open(nonce, packet[..headerLength], packet[headerLength..cipherEnd], packet[cipherEnd..]))
        {
            plainLength = 0;
            return false;
        }

        return true;
    }

    public override uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[^SrtpProfiles.SrtcpIndexLength..]);

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        _rtcp.RtcpNonce(ssrc, index, nonce);
        Span<byte> aad = stackalloc byte[12];
        uint indexWord = index | EncryptedFlag;
        buffer[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], indexWord);
        _rtcp.Seal(nonce, aad, buffer[8..length], buffer.Slice(length, TagLength));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + TagLength)..], indexWord);
        return length + TagLength + SrtpProfiles.SrtcpIndexLength;
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord, out int plainLength)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        _rtcp.RtcpNonce(ssrc, indexWord & ~EncryptedFlag, nonce);
        int tagStart = packet.Length - SrtpProfiles.SrtcpIndexLength - TagLength;
        ReadOnlySpan<byte> tag = packet.Slice(tagStart, TagLength);
        plainLength = 0;
        bool ok = (indexWord & EncryptedFlag) != 0
            ? OpenEncryptedRtcp(packet, nonce, tagStart, tag)
            : OpenUnencryptedRtcp(packet, nonce, tagStart, tag);
        if (ok)
        {
            plainLength = tagStart;
        }

        return ok;
    }

    public override void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private bool OpenEncryptedRtcp(Span<byte> packet, ReadOnlySpan<byte> nonce, int tagStart, ReadOnlySpan<byte> tag)
    {
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        packet[^SrtpProfiles.SrtcpIndexLength..].CopyTo(aad[8..]);
        return _rtcp.Open(nonce, aad, packet[8..tagStart], tag);
    }

    /// <summary>E = 0 (RFC 7714 §9.2): the whole packet and the E‖index word are associated data, nothing is encrypted.</summary>
    private bool OpenUnencryptedRtcp(Span<byte> packet, ReadOnlySpan<byte> nonce, int tagStart, ReadOnlySpan<byte> tag)
    {
        int aadLength = tagStart + SrtpProfiles.SrtcpIndexLength;
        byte[] aad = ArrayPool<byte>.Shared.Rent(aadLength);
        try
        {
            packet[..tagStart].CopyTo(aad);
            packet[^SrtpProfiles.SrtcpIndexLength..].CopyTo(aad.AsSpan(tagStart));
            return _rtcp.Open(nonce, aad.AsSpan(0, aadLength), Span<byte>.Empty, tag);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(aad);
        }
    }

    private sealed class Direction : IDisposable
    {
        private readonly AesGcm _gcm;
        private readonly AesCounterMode? _block;
        private readonly Ghash? _ghash;
        private readonly byte[] _salt;

        public Direction(byte[] key, byte[] salt, bool useTagPrecheck)
        {
            _gcm = new AesGcm(key, TagLength);
            _salt = salt;
            if (useTagPrecheck && Ghash.IsSupported)
            {
                _block = new AesCounterMode(key);
                Span<byte> hashSubkey = stackalloc byte[16];
                _block.EncryptBlock(stackalloc byte[16], hashSubkey);
                _ghash = new Ghash(hashSubkey);
            }
        }

        public void RtpNonce(uint ssrc, ulong index, Span<byte> nonce)
        {
            nonce.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], (uint)(index >> 16));
            BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)index);
            XorSalt(nonce);
        }

        public void RtcpNonce(uint ssrc, uint index, Span<byte> nonce)
        {
            nonce.Clear();
            BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
            BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], index);
            XorSalt(nonce);
        }

        public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, Span<byte> data, Span<byte> tag) =>
            _gcm.Encrypt(nonce, data, data, tag, aad);

        public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, Span<byte> data, ReadOnlySpan<byte> tag)
        {
            if (_ghash is not null && !TagMatches(nonce, aad, data, tag))
            {
                return false;
            }

            try
            {
                _gcm.Decrypt(nonce, data, tag, data, aad);
                return true;
            }
            catch (AuthenticationTagMismatchException)
            {
                return false;
            }
        }

        public void Dispose()
        {
            _gcm.Dispose();
            _block?.Dispose();
        }

        /// <summary>Tag = E(K, J0) XOR GHASH(aad, ciphertext), J0 = nonce ‖ 0x00000001 (SP 800-38D §7.2).</summary>
        private bool TagMatches(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> aad, ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
        {
            Span<byte> counter = stackalloc byte[16];
            nonce.CopyTo(counter);
            BinaryPrimitives.WriteUInt32BigEndian(counter[12..], 1);
            Span<byte> mask = stackalloc byte[16];
            _block!.EncryptBlock(counter, mask);
            Span<byte> expected = stackalloc byte[16];
            _ghash!.Compute(aad, data, expected);
            for (int i = 0; i < 16; i++)
            {
                expected[i] ^= mask[i];
            }

            return CryptographicOperations.FixedTimeEquals(expected, tag);
        }

        private void XorSalt(Span<byte> nonce)
        {
            for (int i = 0; i < NonceLength; i++)
            {
                nonce[i] ^= _salt[i];
            }
        }
    }
}
