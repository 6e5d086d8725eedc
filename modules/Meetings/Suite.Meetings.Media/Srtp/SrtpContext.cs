using System.Buffers.Binary;
using Suite.Meetings.Media.Rtp;

namespace Suite.Meetings.Media.Srtp;

/// <summary>
/// SRTP and SRTCP for one direction of one transport (RFC 3711, RFC 7714): an outbound context protects what we
/// send with our write keys, an inbound one unprotects what the peer sends with its write keys. Tracks, per SSRC,
/// the rollover counter, a 64-packet replay window and the SRTCP index. Operates in place; never throws on bad
/// input; allocates only when a new SSRC is first authenticated (bounded by <see cref="MaxStreams"/>).
/// Not thread-safe: use it from the transport's packet loop.
/// </summary>
internal sealed class SrtpContext : IDisposable
{
    public const int DefaultMaxStreams = 64;

    private const int RtcpHeaderLength = 8;

    private readonly SrtpCipher _cipher;
    private readonly Dictionary<uint, SrtpStream> _streams = [];

    private SrtpContext(SrtpProfile profile, SrtpCipher cipher, int maxStreams)
    {
        Profile = profile;
        _cipher = cipher;
        MaxStreams = maxStreams;
    }

    public SrtpProfile Profile { get; }

    public int MaxStreams { get; }

    public int RtpOverhead => _cipher.RtpOverhead;

    public int RtcpOverhead => _cipher.RtcpOverhead;

    public static SrtpContext Create(
        SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, int maxStreams = DefaultMaxStreams)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxStreams, 1);
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(profile, masterKey, masterSalt);
        return new SrtpContext(profile, SrtpCipher.Create(keys), maxStreams);
    }

    /// <summary>A context over given session keys (bypassing the KDF), for published test vectors.</summary>
    internal static SrtpContext FromSessionKeys(SrtpSessionKeys keys, int maxStreams = DefaultMaxStreams) =>
        new(keys.Profile, SrtpCipher.Create(keys), maxStreams);

    /// <summary>A context over a given transform (tests use it to select the GCM path without the tag pre-check).</summary>
    internal static SrtpContext FromCipher(SrtpProfile profile, SrtpCipher cipher, int maxStreams = DefaultMaxStreams) =>
        new(profile, cipher, maxStreams);

    /// <summary>Protects the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>]; the buffer needs <see cref="RtpOverhead"/> more bytes.</summary>
    public SrtpError ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || !RtpHeader.TryGetHeaderLength(buffer[..length], out int headerLength, out _))
        {
            return SrtpError.Malformed;
        }

        if (buffer.Length - length < _cipher.RtpOverhead)
        {
            return SrtpError.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        SrtpStream? stream = GetOrAddStream(ssrc);
        if (stream is null)
        {
            return SrtpError.TooManyStreams;
        }

        SrtpError error = SrtpIndex.Estimate(stream.Rtp.IsInitialized, stream.Rtp.Highest, sequence, out ulong index);
        if (error != SrtpError.None)
        {
            return error;
        }

        protectedLength = _cipher.ProtectRtp(buffer, headerLength, length, ssrc, index);
        stream.Rtp.Accept(index);
        return SrtpError.None;
    }

    /// <summary>Verifies and decrypts an SRTP packet in place; on success the plain RTP packet is <paramref name="packet"/>[..plainLength].</summary>
    public SrtpError UnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        if (!RtpHeader.TryGetHeaderLength(packet, out int headerLength, out _) || packet.Length - headerLength < _cipher.RtpOverhead)
        {
            return SrtpError.Malformed;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        ushort sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        _streams.TryGetValue(ssrc, out SrtpStream? stream);
        SrtpReplayWindow window = stream?.Rtp ?? default;
        SrtpError error = SrtpIndex.Estimate(window.IsInitialized, window.Highest, sequence, out ulong index);
        if (error == SrtpError.None)
        {
            error = window.Check(index);
        }

        if (error != SrtpError.None)
        {
            return error;
        }

        if (stream is null && _streams.Count >= MaxStreams)
        {
            return SrtpError.TooManyStreams;
        }

        if (!_cipher.UnprotectRtp(packet, headerLength, ssrc, index, out plainLength))
        {
            return SrtpError.AuthenticationFailed;
        }

        stream ??= AddStream(ssrc);
        stream.Rtp.Accept(index);
        return SrtpError.None;
    }

    /// <summary>Protects an RTCP (compound) packet; the buffer needs <see cref="RtcpOverhead"/> more bytes.</summary>
    public SrtpError ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if ((uint)length > (uint)buffer.Length || length < RtcpHeaderLength || buffer[0] >> 6 != 2)
        {
            return SrtpError.Malformed;
        }

        if (buffer.Length - length < _cipher.RtcpOverhead)
        {
            return SrtpError.BufferTooSmall;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        SrtpStream? stream = GetOrAddStream(ssrc);
        if (stream is null)
        {
            return SrtpError.TooManyStreams;
        }

        uint index = stream.NextRtcpIndex;
        if (index > SrtpIndex.MaxRtcpIndex)
        {
            return SrtpError.KeyExhausted;
        }

        protectedLength = _cipher.ProtectRtcp(buffer, length, ssrc, index);
        stream.NextRtcpIndex = index + 1;
        return SrtpError.None;
    }

    /// <summary>Verifies and (when the E flag is set) decrypts an SRTCP packet in place.</summary>
    public SrtpError UnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        if (packet.Length < RtcpHeaderLength + _cipher.RtcpOverhead || packet[0] >> 6 != 2)
        {
            return SrtpError.Malformed;
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint indexWord = _cipher.ReadSrtcpIndexWord(packet);
        uint index = indexWord & SrtpIndex.MaxRtcpIndex;
        _streams.TryGetValue(ssrc, out SrtpStream? stream);
        SrtpError error = (stream?.Rtcp ?? default).Check(index);
        if (error != SrtpError.None)
        {
            return error;
        }

        if (stream is null && _streams.Count >= MaxStreams)
        {
            return SrtpError.TooManyStreams;
        }

        if (!_cipher.UnprotectRtcp(packet, ssrc, indexWord, out plainLength))
        {
            return SrtpError.AuthenticationFailed;
        }

        stream ??= AddStream(ssrc);
        stream.Rtcp.Accept(index);
        return SrtpError.None;
    }

    /// <summary>Sets the next SRTCP index of an outbound SSRC (to continue a stream, or for test vectors).</summary>
    internal void SetNextRtcpIndex(uint ssrc, uint index)
    {
        SrtpStream stream = GetOrAddStream(ssrc) ?? throw new InvalidOperationException("Too many streams.");
        stream.NextRtcpIndex = index;
    }

    public void Dispose() => _cipher.Dispose();

    private SrtpStream? GetOrAddStream(uint ssrc) =>
        _streams.TryGetValue(ssrc, out SrtpStream? stream) ? stream : _streams.Count < MaxStreams ? AddStream(ssrc) : null;

    private SrtpStream AddStream(uint ssrc)
    {
        var stream = new SrtpStream();
        _streams.Add(ssrc, stream);
        return stream;
    }
}
