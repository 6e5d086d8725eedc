using System.Buffers.Binary;
using System.Security.Cryptography;
using Suite.Meetings.Media.Srtp;
using static Suite.Meetings.Media.Tests.Srtp.SrtpTestPackets;

namespace Suite.Meetings.Media.Tests.Srtp;

public sealed class SrtpContextTests
{
    public static TheoryData<int> Profiles => [(int)SrtpProfile.AesCm128HmacSha1_80, (int)SrtpProfile.AeadAes128Gcm];

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_round_trips_with_header_intact_and_payload_encrypted(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile);
        for (ushort sequence = 1; sequence < 50; sequence++)
        {
            byte[] plain = RtpPacket(sequence);
            byte[] wire = ProtectRtp(sender, plain);
            Assert.Equal(Convert.ToHexString(plain, 0, 24), Convert.ToHexString(wire, 0, 24));
            Assert.NotEqual(Convert.ToHexString(plain, 24, 100), Convert.ToHexString(wire, 24, 100));

            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire, out byte[] decrypted));
            Assert.Equal(plain, decrypted);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_round_trips_with_encrypted_flag_and_increasing_index(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile);
        byte[] plain = RtcpPacket();
        for (uint expectedIndex = 0; expectedIndex < 5; expectedIndex++)
        {
            byte[] wire = ProtectRtcp(sender, plain);
            int indexOffset = profile == SrtpProfile.AeadAes128Gcm ? wire.Length - 4 : wire.Length - 14;
            Assert.Equal(0x8000_0000u | expectedIndex, BinaryPrimitives.ReadUInt32BigEndian(wire.AsSpan(indexOffset)));
            Assert.Equal(Convert.ToHexString(plain, 0, 8), Convert.ToHexString(wire, 0, 8));

            Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, wire, out byte[] decrypted));
            Assert.Equal(plain, decrypted);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Tampered_tag_header_or_payload_is_rejected(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile);
        byte[] wire = ProtectRtp(sender, RtpPacket(10));
        foreach (int offset in new[] { 1, 3, 9, 20, 30, wire.Length - 1 })
        {
            byte[] tampered = (byte[])wire.Clone();
            tampered[offset] ^= 0x40;
            Assert.NotEqual(SrtpError.None, UnprotectRtp(receiver, tampered, out _));
        }

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire, out _)); // forgeries did not poison the window

        byte[] rtcp = ProtectRtcp(sender, RtcpPacket());
        byte[] badRtcp = (byte[])rtcp.Clone();
        badRtcp[12] ^= 1;
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(receiver, badRtcp, out _));
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, rtcp, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Keys_of_another_session_do_not_authenticate(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        byte[] otherKey = (byte[])MasterKey.Clone();
        otherKey[0] ^= 1;
        using SrtpContext receiver = SrtpContext.Create(profile, otherKey, MasterSalt(profile));
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(1)), out _));
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(receiver, ProtectRtcp(sender, RtcpPacket()), out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Replays_are_rejected_and_reordering_within_the_window_is_accepted(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile);
        byte[][] wire = Enumerable.Range(0, 100).Select(i => ProtectRtp(sender, RtpPacket((ushort)(1000 + i)))).ToArray();

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire[99], out _));
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, wire[99], out _));
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire[50], out _)); // 49 behind
        Assert.Equal(SrtpError.Replayed, UnprotectRtp(receiver, wire[50], out _));
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire[36], out _)); // 63 behind: last slot
        Assert.Equal(SrtpError.TooOld, UnprotectRtp(receiver, wire[35], out _)); // 64 behind

        byte[] rtcpFirst = ProtectRtcp(sender, RtcpPacket());
        byte[] rtcpSecond = ProtectRtcp(sender, RtcpPacket());
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, rtcpSecond, out _));
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, rtcpFirst, out _));
        Assert.Equal(SrtpError.Replayed, UnprotectRtcp(receiver, rtcpFirst, out _));
        Assert.Equal(SrtpError.Replayed, UnprotectRtcp(receiver, rtcpSecond, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Sequence_wrap_increments_the_rollover_counter_on_both_sides(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile);
        using SrtpContext naive = Create(profile); // will be told the wrong ROC
        var sent = new List<(ushort Sequence, byte[] Wire)>();
        for (int i = 0; i < 150; i++)
        {
            ushort sequence = (ushort)(65500 + i); // wraps after 36 packets
            sent.Add((sequence, ProtectRtp(sender, RtpPacket(sequence, payloadLength: 20))));
        }

        // Deliver with adjacent swaps, so that packets from before the wrap arrive after it (ROC − 1 guesses).
        for (int i = 0; i + 1 < sent.Count; i += 2)
        {
            foreach (int pick in new[] { i + 1, i })
            {
                Assert.Equal(SrtpError.None, UnprotectRtp(receiver, sent[pick].Wire, out byte[] plain));
                Assert.Equal(RtpPacket(sent[pick].Sequence, payloadLength: 20), plain);
            }
        }

        // Jumps of less than half the sequence space keep both sides in step over several more wraps.
        ushort jumping = sent[^1].Sequence;
        for (int i = 0; i < 10; i++)
        {
            jumping = (ushort)(jumping + 30000);
            byte[] wire = ProtectRtp(sender, RtpPacket(jumping, payloadLength: 20));
            sent.Add((jumping, wire));
            Assert.Equal(SrtpError.None, UnprotectRtp(receiver, wire, out byte[] plain));
            Assert.Equal(RtpPacket(jumping, payloadLength: 20), plain);
        }

        // A receiver that first sees a packet after the wrap assumes ROC 0: the tag or keystream then disagrees.
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(naive, sent[^1].Wire, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Forged_packets_for_new_ssrcs_do_not_use_up_stream_slots(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext sender = Create(profile);
        using SrtpContext receiver = Create(profile, maxStreams: 2);
        byte[] forged = new byte[80];
        for (uint ssrc = 1; ssrc <= 100; ssrc++)
        {
            RtpPacket(5, ssrc, 40).CopyTo(forged, 0);
            RandomNumberGenerator.Fill(forged.AsSpan(64));
            Assert.Equal(SrtpError.AuthenticationFailed, receiver.UnprotectRtp(forged, out _));
        }

        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(1, ssrc: 1000)), out _));
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(1, ssrc: 2000)), out _));
        Assert.Equal(SrtpError.TooManyStreams, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(1, ssrc: 3000)), out _));
        Assert.Equal(SrtpError.None, UnprotectRtp(receiver, ProtectRtp(sender, RtpPacket(2, ssrc: 1000)), out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Malformed_input_and_small_buffers_are_reported(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        using SrtpContext context = Create(profile);
        byte[] plain = RtpPacket(1);
        Assert.Equal(SrtpError.BufferTooSmall, context.ProtectRtp(plain, plain.Length, out _));
        Assert.Equal(SrtpError.Malformed, context.ProtectRtp(plain, plain.Length + 1, out _));
        Assert.Equal(SrtpError.Malformed, context.ProtectRtp(new byte[40], 11, out _));
        Assert.Equal(SrtpError.Malformed, context.UnprotectRtp(plain.AsSpan(0, 24 + context.RtpOverhead - 1).ToArray(), out _));
        Assert.Equal(SrtpError.Malformed, context.UnprotectRtp(new byte[30], out _)); // version 0
        Assert.Equal(SrtpError.Malformed, context.UnprotectRtcp(new byte[8 + context.RtcpOverhead - 1], out _));
        byte[] rtcp = RtcpPacket();
        Assert.Equal(SrtpError.BufferTooSmall, context.ProtectRtcp(rtcp, rtcp.Length, out _));
        Assert.Equal(SrtpError.Malformed, context.ProtectRtcp(new byte[64], 7, out _));
    }

    [Fact]
    public void Unencrypted_srtcp_with_an_hmac_computed_independently_is_accepted()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AesCm128HmacSha1_80, MasterKey, MasterSalt(SrtpProfile.AesCm128HmacSha1_80));
        byte[] plain = RtcpPacket();
        byte[] wire = new byte[plain.Length + 14];
        plain.CopyTo(wire, 0);
        BinaryPrimitives.WriteUInt32BigEndian(wire.AsSpan(plain.Length), 42); // E = 0, index 42
        HMACSHA1.HashData(keys.RtcpAuthKey, wire.AsSpan(0, plain.Length + 4)).AsSpan(0, 10).CopyTo(wire.AsSpan(plain.Length + 4));

        using SrtpContext receiver = Create(SrtpProfile.AesCm128HmacSha1_80);
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, wire, out byte[] decoded));
        Assert.Equal(plain, decoded);
        Assert.Equal(SrtpError.Replayed, UnprotectRtcp(receiver, wire, out _));
    }

    [Fact]
    public void Unencrypted_gcm_srtcp_authenticates_the_whole_packet()
    {
        SrtpSessionKeys keys = SrtpSessionKeys.Derive(SrtpProfile.AeadAes128Gcm, MasterKey, MasterSalt(SrtpProfile.AeadAes128Gcm));
        byte[] plain = RtcpPacket();
        const uint index = 7;
        byte[] indexWord = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(indexWord, index); // E = 0
        byte[] nonce = new byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(2), BinaryPrimitives.ReadUInt32BigEndian(plain.AsSpan(4)));
        BinaryPrimitives.WriteUInt32BigEndian(nonce.AsSpan(8), index);
        for (int i = 0; i < 12; i++)
        {
            nonce[i] ^= keys.RtcpSalt[i];
        }

        byte[] tag = new byte[16];
        using (var gcm = new AesGcm(keys.RtcpKey, 16))
        {
            gcm.Encrypt(nonce, ReadOnlySpan<byte>.Empty, Span<byte>.Empty, tag, [.. plain, .. indexWord]);
        }

        byte[] wire = [.. plain, .. tag, .. indexWord];
        using SrtpContext receiver = Create(SrtpProfile.AeadAes128Gcm);
        Assert.Equal(SrtpError.None, UnprotectRtcp(receiver, wire, out byte[] decoded));
        Assert.Equal(plain, decoded);

        byte[] tampered = (byte[])wire.Clone();
        tampered[10] ^= 1;
        using SrtpContext other = Create(SrtpProfile.AeadAes128Gcm);
        Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtcp(other, tampered, out _));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Dtls_keying_material_pairs_client_and_server_directions(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        byte[] material = RandomNumberGenerator.GetBytes(SrtpKeyingMaterial.Length(profile));
        SrtpKeyingMaterial.CreateContexts(profile, material, isDtlsServer: true, out SrtpContext serverOut, out SrtpContext serverIn);
        SrtpKeyingMaterial.CreateContexts(profile, material, isDtlsServer: false, out SrtpContext clientOut, out SrtpContext clientIn);
        using (serverOut)
        using (serverIn)
        using (clientOut)
        using (clientIn)
        {
            Assert.Equal(SrtpError.None, UnprotectRtp(clientIn, ProtectRtp(serverOut, RtpPacket(1)), out _));
            Assert.Equal(SrtpError.None, UnprotectRtp(serverIn, ProtectRtp(clientOut, RtpPacket(1)), out _));
            Assert.Equal(SrtpError.AuthenticationFailed, UnprotectRtp(serverIn, ProtectRtp(serverOut, RtpPacket(2)), out _));
        }

        Assert.Throws<ArgumentException>(() => SrtpKeyingMaterial.CreateContexts(profile, material[1..], true, out _, out _));
    }
}
