using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Rooms;
using Suite.Meetings.Media.Rtp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Tests.Rooms;

/// <summary>
/// The forwarding path end to end without DTLS: sessions are keyed and bound by hand, then every publisher packet must
/// reach every subscriber, in order, decryptable with that subscriber's keys, with more subscribers than one send batch holds.
/// </summary>
public sealed class BatchedForwardingTests : IDisposable
{
    private const uint AudioSsrc = 0x1111_1111;
    private const uint VideoSsrc = 0x2222_2222;
    private const int Subscribers = 40;

    private readonly MediaServer _server = MediaServer.Start(new MediaServerOptions { BindAddress = IPAddress.Loopback, Port = 0, MaxParticipantsPerRoom = Subscribers + 1 });
    private readonly List<Socket> _sockets = [];

    public void Dispose()
    {
        _server.Dispose();
        foreach (Socket socket in _sockets)
        {
            socket.Dispose();
        }
    }

    [Fact]
    public void Every_subscriber_gets_every_packet_in_order_with_its_own_keys()
    {
        var room = (MediaRoom)_server.OpenRoom("batch");
        var publisher = (MediaParticipant)room.Join("pub");
        Assert.True(publisher.Publish(PublisherOffer()).Succeeded);
        Key(publisher.PublishSession!, NewSocket());

        var receivers = new List<(Socket Socket, SrtpContext Keys)>();
        for (int i = 0; i < Subscribers; i++)
        {
            var subscriber = (MediaParticipant)room.Join("s" + i.ToString(CultureInfo.InvariantCulture));
            Assert.True(subscriber.AcceptSubscriberAnswer(BrowserSdp.AnswerTo(subscriber.TakeSubscriberOffer()!)).Succeeded);
            Socket socket = NewSocket();
            receivers.Add((socket, Key(subscriber.SubscribeSession!, socket).Local!.CreateContext()));
        }

        var sent = new List<byte[]>();
        for (int i = 0; i < 6; i++)
        {
            byte[] packet = i % 2 == 0 ? Video((ushort)(100 + (i / 2)), keyframe: i == 0) : Audio((ushort)(200 + (i / 2)));
            sent.Add(packet);
            publisher.OnPublisherRtp(packet);
        }

        MediaMetrics metrics = room.Metrics;
        // PacketsOut also counts the RTCP the room sends (keyframe requests to the publisher, reports).
        Assert.True(metrics.PacketsOut >= sent.Count * Subscribers, $"out {metrics.PacketsOut}, drops {string.Join(", ", metrics.DroppedByReason)}");
        foreach ((Socket socket, SrtpContext keys) in receivers)
        {
            var lastSequence = new Dictionary<uint, ushort>();
            foreach (byte[] original in sent)
            {
                byte[] datagram = new byte[2048];
                int length;
                do
                {
                    length = socket.Receive(datagram);
                }
                while (datagram[1] is >= 192 and <= 223); // RTCP (RFC 5761 §4): not what this test follows
                Assert.Equal(SrtpError.None, keys.UnprotectRtp(datagram.AsSpan(0, length), out int plainLength));
                Assert.True(RtpHeader.TryParse(datagram.AsSpan(0, plainLength), out RtpHeader header, out _));
                Assert.True(RtpHeader.TryParse(original, out RtpHeader source, out _));
                Assert.Equal(source.PayloadLength, header.PayloadLength);
                if (source.PayloadType == 111)
                {
                    Assert.Equal(original.AsSpan(source.PayloadOffset).ToArray(), datagram.AsSpan(header.PayloadOffset, header.PayloadLength).ToArray());
                }

                if (lastSequence.TryGetValue(header.Ssrc, out ushort previous))
                {
                    Assert.Equal((ushort)(previous + 1), header.SequenceNumber);
                }

                lastSequence[header.Ssrc] = header.SequenceNumber;
            }

            Assert.Equal(2, lastSequence.Count);
            keys.Dispose();
        }
    }

    private static DtlsHandshakeResult Key(ParticipantSession session, Socket peer)
    {
        var remote = (IPEndPoint)peer.LocalEndPoint!;
        session.Bind(remote.Serialize(), remote);
        DtlsHandshakeResult result = DtlsHandshakeResult.Success(SrtpProfile.AesCm128HmacSha1_80, RandomNumberGenerator.GetBytes(60), isDtlsServer: true);
        session.InstallKeys(result);
        return result;
    }

    private Socket NewSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _sockets.Add(socket);
        return socket;
    }

    private static byte[] Video(ushort sequence, bool keyframe)
    {
        byte[] packet = new byte[12 + 900];
        RtpHeaderWriter.WriteFixedHeader(packet, marker: false, payloadType: 96, sequence, sequence * 3000u, VideoSsrc);
        packet.AsSpan(12).Fill(0x5A);
        packet[12] = 0x90; // X, S
        packet[13] = 0x80; // I
        packet[14] = 0x81;
        packet[15] = (byte)sequence;
        packet[16] = (byte)(keyframe ? 0x00 : 0x01);
        return packet;
    }

    private static byte[] Audio(ushort sequence)
    {
        byte[] packet = new byte[12 + 8 + 80];
        RtpHeaderWriter.WriteFixedHeader(packet, marker: false, payloadType: 111, sequence, sequence * 960u, AudioSsrc);
        packet[0] |= 0x10;
        byte[] extension = [0xBE, 0xDE, 0x00, 0x01, 0x10, 0x9E, 0x00, 0x00];
        extension.CopyTo(packet, 12);
        for (int i = 20; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 7);
        }

        return packet;
    }

    private static string PublisherOffer()
    {
        string common = "a=ice-ufrag:pubr\r\na=ice-pwd:publisherpasswordpublish\r\n" +
            $"a=fingerprint:{BrowserSdp.BrowserCertificate.Fingerprint.ToSdpValue()}\r\na=setup:actpass\r\na=sendonly\r\na=rtcp-mux\r\n";
        return "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\n" +
            "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\n" + common + "a=mid:0\r\n" +
            "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            $"a=rtpmap:111 opus/48000/2\r\na=ssrc:{AudioSsrc} cname:test\r\n" +
            "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n" + common + "a=mid:1\r\n" +
            "a=extmap:4 urn:ietf:params:rtp-hdrext:sdes:mid\r\n" +
            $"a=rtpmap:96 VP8/90000\r\na=rtcp-fb:96 nack pli\r\na=ssrc:{VideoSsrc} cname:test\r\n";
    }
}
