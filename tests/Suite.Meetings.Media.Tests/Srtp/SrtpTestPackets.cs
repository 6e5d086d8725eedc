using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Srtp;

namespace Suite.Meetings.Media.Tests.Srtp;

internal static class SrtpTestPackets
{
    public static readonly byte[] MasterKey = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

    public static byte[] MasterSalt(SrtpProfile profile) =>
        Convert.FromHexString("A0A1A2A3A4A5A6A7A8A9AAABACAD")[..SrtpProfiles.MasterSaltLength(profile)];

    public static SrtpContext Create(SrtpProfile profile, int maxStreams = SrtpContext.DefaultMaxStreams) =>
        SrtpContext.Create(profile, MasterKey, MasterSalt(profile), maxStreams);

    /// <summary>An RTP packet with a CSRC and a one-byte header extension, payload derived from the sequence number.</summary>
    public static byte[] RtpPacket(ushort sequence, uint ssrc = 0x1234ABCD, int payloadLength = 100)
    {
        byte[] packet = new byte[12 + 4 + 8 + payloadLength];
        RtpHeaderWriter.WriteFixedHeader(packet, marker: true, payloadType: 96, sequence, timestamp: sequence * 3000u, ssrc, hasExtension: true);
        packet[0] |= 1; // one CSRC
        packet[12] = 0; packet[13] = 0; packet[14] = 0x99; packet[15] = 0x99;
        var extensions = new RtpHeaderExtensionWriter(packet.AsSpan(16), twoByteForm: false);
        extensions.Add(1, [0xAB, 0xCD]);
        extensions.TryComplete(out _);
        for (int i = 0; i < payloadLength; i++)
        {
            packet[24 + i] = (byte)(sequence + i);
        }

        return packet;
    }

    public static byte[] RtcpPacket(uint ssrc = 0x1234ABCD)
    {
        byte[] buffer = new byte[128];
        int length = RtcpWriter.WriteReceiverReport(buffer, ssrc, [new RtcpReportBlock(7, 1, 2, 3, 4, 5, 6)]);
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), ssrc, "participant"u8);
        return buffer[..length];
    }

    /// <summary>Protects a copy of <paramref name="plain"/> and returns exactly the protected bytes.</summary>
    public static byte[] ProtectRtp(SrtpContext sender, byte[] plain)
    {
        byte[] buffer = new byte[plain.Length + sender.RtpOverhead];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtp(buffer, plain.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    public static byte[] ProtectRtcp(SrtpContext sender, byte[] plain)
    {
        byte[] buffer = new byte[plain.Length + sender.RtcpOverhead];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, sender.ProtectRtcp(buffer, plain.Length, out int length));
        Assert.Equal(buffer.Length, length);
        return buffer;
    }

    public static SrtpError UnprotectRtp(SrtpContext receiver, byte[] protectedPacket, out byte[] plain)
    {
        byte[] copy = (byte[])protectedPacket.Clone();
        SrtpError error = receiver.UnprotectRtp(copy, out int length);
        plain = copy[..length];
        return error;
    }

    public static SrtpError UnprotectRtcp(SrtpContext receiver, byte[] protectedPacket, out byte[] plain)
    {
        byte[] copy = (byte[])protectedPacket.Clone();
        SrtpError error = receiver.UnprotectRtcp(copy, out int length);
        plain = copy[..length];
        return error;
    }
}
