using System.Text;
using Suite.Meetings.Media.Rtcp;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;
using Suite.Meetings.Media.Tests.Stun;

namespace Suite.Meetings.Media.Tests.Robustness;

/// <summary>Valid datagrams of every kind the port carries, to be mutated by the fuzzer.</summary>
internal sealed class DatagramCorpus
{
    private DatagramCorpus(List<byte[]> plain, List<byte[]> srtp)
    {
        Plain = plain;
        Protected = srtp;
    }

    /// <summary>STUN, RTP and RTCP datagrams in clear.</summary>
    public IReadOnlyList<byte[]> Plain { get; }

    /// <summary>SRTP and SRTCP datagrams protected with the senders' keys (both profiles).</summary>
    public IReadOnlyList<byte[]> Protected { get; }

    public static DatagramCorpus Build(SrtpContext cmSender, SrtpContext gcmSender, int protectedPerProfile)
    {
        var plain = new List<byte[]>
        {
            Rfc5769Vectors.Request,
            Rfc5769Vectors.IPv4Response,
            Rfc5769Vectors.IPv6Response,
            StunCheck(useCandidate: true),
            StunCheck(useCandidate: false),
        };

        for (int i = 0; i < 8; i++)
        {
            plain.Add(Rtp((ushort)(i * 8191), i % 2 == 0, payloadLength: 20 + (i * 150)));
        }

        plain.AddRange(RtcpSamples());

        var srtp = new List<byte[]>();
        for (int i = 0; i < protectedPerProfile; i++)
        {
            foreach (SrtpContext sender in new[] { cmSender, gcmSender })
            {
                byte[] rtp = Rtp((ushort)i, i % 3 == 0, payloadLength: 40 + (i % 900), ssrc: 0xC0FFEE);
                byte[] rtpBuffer = new byte[rtp.Length + sender.RtpOverhead];
                rtp.CopyTo(rtpBuffer, 0);
                sender.ProtectRtp(rtpBuffer, rtp.Length, out int rtpLength);
                srtp.Add(rtpBuffer[..rtpLength]);

                if (i % 4 == 0)
                {
                    byte[] rtcp = RtcpSamples()[i / 4 % RtcpSamples().Count];
                    byte[] rtcpBuffer = new byte[rtcp.Length + sender.RtcpOverhead];
                    rtcp.CopyTo(rtcpBuffer, 0);
                    sender.ProtectRtcp(rtcpBuffer, rtcp.Length, out int rtcpLength);
                    srtp.Add(rtcpBuffer[..rtcpLength]);
                }
            }
        }

        return new DatagramCorpus(plain, srtp);
    }

    private static byte[] StunCheck(bool useCandidate)
    {
        using var key = StunIntegrityKey.FromPassword(ReceivePathDriver.LocalPassword);
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Encoding.ASCII.GetBytes("fuzztxid0001"));
        writer.AddUsername(Encoding.ASCII.GetBytes(ReceivePathDriver.LocalUfrag + ":peer"));
        writer.AddPriority(1853824767);
        writer.AddIceControlling(0xDEADBEEF);
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();
        writer.TryComplete(out int length);
        return buffer[..length];
    }

    private static byte[] Rtp(ushort sequence, bool twoByteExtensions, int payloadLength, uint ssrc = 0x01020304)
    {
        byte[] packet = new byte[12 + 8 + 32 + payloadLength + 4];
        RtpHeaderWriter.WriteFixedHeader(packet, sequence % 2 == 0, 96, sequence, sequence * 90u, ssrc, hasExtension: true, hasPadding: true);
        packet[0] |= 2;
        var extensions = new RtpHeaderExtensionWriter(packet.AsSpan(20), twoByteExtensions);
        extensions.Add(1, [0x30]);
        extensions.Add(3, [1, 2, 3]);
        extensions.Add(5, [(byte)(sequence >> 8), (byte)sequence]);
        extensions.TryComplete(out int block);
        int payloadStart = 20 + block;
        int end = payloadStart + payloadLength + 4;
        packet[end - 1] = 4; // padding count
        return packet[..end];
    }

    private static List<byte[]> RtcpSamples()
    {
        var samples = new List<byte[]>();
        byte[] buffer = new byte[1500];
        RtcpReportBlock block = new(9, 3, 10, 70000, 12, 34, 56);

        int length = RtcpWriter.WriteSenderReport(buffer, 0xC0FFEE, 0xE9000000_80000000, 90000, 100, 120000, [block, block]);
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), 0xC0FFEE, "fuzz-cname"u8);
        samples.Add(buffer[..length]);

        length = RtcpWriter.WriteReceiverReport(buffer, 0xC0FFEE, [block]);
        length += RtcpWriter.WriteRemb(buffer.AsSpan(length), 0xC0FFEE, 2_500_000, [1, 2, 3]);
        samples.Add(buffer[..length]);

        length = RtcpWriter.WriteReceiverReport(buffer, 0xC0FFEE, []);
        length += RtcpWriter.WriteNack(buffer.AsSpan(length), 0xC0FFEE, 9, [1, 2, 5, 40, 41, 60000]);
        length += RtcpWriter.WritePictureLossIndication(buffer.AsSpan(length), 0xC0FFEE, 9);
        length += RtcpWriter.WriteFullIntraRequest(buffer.AsSpan(length), 0xC0FFEE, 9, 4);
        samples.Add(buffer[..length]);

        long[] arrivals = new long[120];
        for (int i = 0; i < arrivals.Length; i++)
        {
            arrivals[i] = i % 9 == 4 ? -1 : 1_000_000 + (i * 900) + (i % 13 == 0 ? 70_000 : 0);
        }

        length = RtcpWriter.WriteReceiverReport(buffer, 0xC0FFEE, []);
        length += TransportCcFeedback.Write(buffer.AsSpan(length), 0xC0FFEE, 9, 1000, 3, arrivals);
        samples.Add(buffer[..length]);

        length = RtcpWriter.WriteGoodbye(buffer, [0xC0FFEE, 9], "bye"u8);
        samples.Add(buffer[..length]);
        return samples;
    }
}
