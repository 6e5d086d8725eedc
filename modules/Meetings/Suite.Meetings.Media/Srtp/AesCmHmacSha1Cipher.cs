using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1, §4.2.1): AES-128 counter mode with
/// IV = (salt · 2^16) XOR (SSRC · 2^64) XOR (index · 2^16), and an HMAC-SHA1 tag truncated to 80 bits over the
/// authenticated portion followed by the ROC (SRTP) or after the E‖index word (SRTCP).
/// </summary>
internal sealed class AesCmHmacSha1Cipher : SrtpCipher
{
    private const int TagLength = SrtpProfiles.CmTagLength;

    private readonly Direction _rtp;
    private readonly Direction _rtcp;

    public AesCmHmacSha1Cipher(SrtpSessionKeys keys)
    {
        _rtp = new Direction(keys.RtpKey, keys.RtpAuthKey, keys.RtpSalt);
        _rtcp = new Direction(keys.RtcpKey, keys.RtcpAuthKey, keys.RtcpSalt);
    }

    public override int RtpOverhead => TagLength;

    public override int RtcpOverhead => TagLength + SrtpProfiles.SrtcpIndexLength;

    public override int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, ulong index)
    {
        _rtp.Crypt(buffer[headerLength..length], ssrc, index);
        // The ROC goes where the tag will be, so that the MAC reads the packet and the ROC in one call.
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], (uint)(index >> 16));
        _rtp.Tag(buffer[..(length + 4)], 0, false, buffer.Slice(length, TagLength));
        return length + TagLength;
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index, out int plainLength)
    {
        plainLength = packet.Length - TagLength;
        if (!_rtp.Verify(packet[..plainLength], (uint)(index >> 16), true, packet[plainLength..]))
        {
            plainLength = 0;
            return false;
        }

        _rtp.Crypt(packet[headerLength..plainLength], ssrc, index);
        return true;
    }

    public override uint ReadSrtcpIndexWord(ReadOnlySpan<byte> packet) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[(packet.Length - TagLength - SrtpProfiles.SrtcpIndexLength)..]);

    public override int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        _rtcp.Crypt(buffer[8..length], ssrc, index);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], index | EncryptedFlag);
        int authenticated = length + SrtpProfiles.SrtcpIndexLength;
        _rtcp.Tag(buffer[..authenticated], 0, false, buffer.Slice(authenticated, TagLength));
        return authenticated + TagLength;
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint indexWord, out int plainLength)
    {
        int authenticated = packet.Length - TagLength;
        plainLength = 0;
        if (!_rtcp.Verify(packet[..authenticated], 0, false, packet[authenticated..]))
        {
            return false;
        }

        plainLength = authenticated - SrtpProfiles.SrtcpIndexLength;
        if ((indexWord & EncryptedFlag) != 0)
        {
            _rtcp.Crypt(packet[8..plainLength], ssrc, indexWord & ~EncryptedFlag);
        }

        return true;
    }

    public override void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private sealed class Direction : IDisposable
    {
        private readonly AesCounterMode _cipher;
        private readonly IncrementalHash _hmac;
        private readonly byte[] _salt;

        public Direction(byte[] key, byte[] authKey, byte[] salt)
        {
            _cipher = new AesCounterMode(key);
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
            _salt = salt;
        }

        public void Crypt(Span<byte> data, uint ssrc, ulong index)
        {
            Span<byte> iv = stackalloc byte[AesCounterMode.BlockSize];
            iv.Clear();
            _salt.CopyTo(iv);
            BinaryPrimitives.WriteUInt32BigEndian(iv[4..], BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
            ulong indexField = BinaryPrimitives.ReadUInt64BigEndian(iv[6..]) ^ (index & SrtpIndex.MaxRtpIndex);
            BinaryPrimitives.WriteUInt64BigEndian(iv[6..], indexField);
            _cipher.Apply(iv, data);
        }

        public void Tag(ReadOnlySpan<byte> authenticated, uint roc, bool appendRoc, Span<byte> tag)
        {
            Span<byte> full = stackalloc byte[20];
            Mac(authenticated, roc, appendRoc, full);
            full[..TagLength].CopyTo(tag);
        }

        public bool Verify(ReadOnlySpan<byte> authenticated, uint roc, bool appendRoc, ReadOnlySpan<byte> tag)
        {
            Span<byte> full = stackalloc byte[20];
            Mac(authenticated, roc, appendRoc, full);
            return CryptographicOperations.FixedTimeEquals(full[..TagLength], tag);
        }

        public void Dispose()
        {
            _cipher.Dispose();
            _hmac.Dispose();
        }

        private void Mac(ReadOnlySpan<byte> authenticated, uint roc, bool appendRoc, Span<byte> mac)
        {
            _hmac.AppendData(authenticated);
            if (appendRoc)
            {
                Span<byte> rocBytes = stackalloc byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
                _hmac.AppendData(rocBytes);
            }

            _hmac.GetHashAndReset(mac);
        }
    }
}
