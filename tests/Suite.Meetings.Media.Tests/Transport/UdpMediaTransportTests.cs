using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Sdp;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;
using Suite.Meetings.Media.Tests.Srtp;
using Suite.Meetings.Media.Transport;

namespace Suite.Meetings.Media.Tests.Transport;

public sealed class UdpMediaTransportTests
{
    private static readonly DtlsCertificate SfuCertificate = DtlsCertificate.CreateSelfSigned("transport-tests");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private static RemoteTransportParameters BrowserSdp(DtlsFingerprint? fingerprint = null) =>
        new(LoopbackBrowser.Ufrag, LoopbackBrowser.Password, fingerprint ?? LoopbackBrowser.Certificate.Fingerprint, SdpSetupRole.ActPass);

    private static UdpMediaTransport StartTransport(TimeSpan? consentTimeout = null)
    {
        var transport = new UdpMediaTransport(SfuCertificate, new MediaTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            ConsentTimeout = consentTimeout ?? TimeSpan.FromSeconds(30),
            ConsentCheckInterval = TimeSpan.FromMilliseconds(50),
        });
        transport.Start();
        return transport;
    }

    [Fact]
    public void Bound_to_every_address_it_announces_the_real_local_addresses_never_the_wildcard()
    {
        using var transport = new UdpMediaTransport(SfuCertificate, new MediaTransportOptions { BindEndPoint = new IPEndPoint(IPAddress.Any, 0) });
        transport.Start();

        IReadOnlyList<IPEndPoint> candidates = transport.HostCandidates;

        Assert.NotEmpty(candidates);
        Assert.DoesNotContain(candidates, candidate => candidate.Address.Equals(IPAddress.Any));
        Assert.Contains(candidates, candidate => IPAddress.IsLoopback(candidate.Address));
        Assert.All(candidates, candidate => Assert.Equal(transport.LocalEndPoint.Port, candidate.Port));
    }

    [Fact]
    public void Advertised_addresses_replace_the_bound_one_with_the_bound_port()
    {
        using var transport = new UdpMediaTransport(SfuCertificate, new MediaTransportOptions
        {
            BindEndPoint = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertisedAddresses = [IPAddress.Parse("203.0.113.7")],
        });
        transport.Start();

        IPEndPoint only = Assert.Single(transport.HostCandidates);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("203.0.113.7"), transport.LocalEndPoint.Port), only);
    }

    [Theory]
    [InlineData(SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80)]
    [InlineData(SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM)]
    public void Peer_that_checks_nominates_and_handshakes_gets_its_srtp_delivered_decrypted(int profile)
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        var received = new ConcurrentQueue<byte[]>();
        session.RtpReceived = (_, packet) => received.Enqueue(packet.ToArray());
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);

        byte[]? response = browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true);
        AssertSignedSuccess(response, session.LocalPassword, browser.LocalEndPoint);
        Assert.Equal(browser.LocalEndPoint, session.RemoteEndPoint);

        Assert.Null(browser.ConnectDtls([profile]));
        Assert.True(SpinWait.SpinUntil(() => session.IsSecure, Patience));
        Assert.Equal((SrtpProfile)profile, session.SrtpProfile);

        var sent = new List<byte[]>();
        for (ushort sequence = 1; sequence <= 20; sequence++)
        {
            byte[] plain = SrtpTestPackets.RtpPacket(sequence, ssrc: 0xCAFE0001);
            sent.Add(plain);
            browser.SendRtp(plain);
        }

        Assert.True(SpinWait.SpinUntil(() => received.Count == sent.Count, Patience), $"{received.Count} of {sent.Count} arrived");
        Assert.Equal(sent, received.ToArray());
        Assert.Equal(20, transport.Counters.RtpDelivered);
        Assert.Equal(1, transport.Counters.HandshakesSucceeded);
        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.InternalError));
    }

    [Fact]
    public void Peers_that_nominate_and_then_fall_silent_do_not_hold_up_the_next_peers_handshake()
    {
        using UdpMediaTransport transport = StartTransport();
        var silent = new List<LoopbackBrowser>();
        try
        {
            // Each silent peer binds a handshake that waits for a ClientHello that never comes (until the 10 s timeout).
            for (int i = 0; i < 4; i++)
            {
                ParticipantSession waiting = transport.CreateSession(BrowserSdp());
                var peer = new LoopbackBrowser(transport.LocalEndPoint);
                silent.Add(peer);
                Assert.NotNull(peer.Check(waiting.LocalUfrag, waiting.LocalPassword, useCandidate: true));
            }

            ParticipantSession session = transport.CreateSession(BrowserSdp());
            using var browser = new LoopbackBrowser(transport.LocalEndPoint);
            Assert.NotNull(browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Null(browser.ConnectDtls([SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM]));
            Assert.True(SpinWait.SpinUntil(() => session.IsSecure, Patience));
            // A stall here is a whole handshake timeout (10 s) per pair of silent peers; a handshake itself takes milliseconds.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the handshake waited {clock.Elapsed.TotalSeconds:0.0} s behind the silent peers");
            Assert.Equal(1, transport.Counters.HandshakesSucceeded);
        }
        finally
        {
            silent.ForEach(peer => peer.Dispose());
        }
    }

    [Fact]
    public void Srtp_the_sfu_sends_is_decrypted_by_the_peer_with_its_own_keys()
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);
        browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true);
        Assert.Null(browser.ConnectDtls([SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM]));
        Assert.True(SpinWait.SpinUntil(() => session.IsSecure, Patience));

        byte[] plain = SrtpTestPackets.RtpPacket(777, ssrc: 0x5F000001);
        byte[] buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        Assert.True(transport.SendRtp(session, buffer, plain.Length));

        Assert.True(SpinWait.SpinUntil(() => !browser.ReceivedSrtp.IsEmpty, Patience));
        Assert.True(browser.ReceivedSrtp.TryDequeue(out byte[]? wire));
        Assert.Equal(SrtpError.None, browser.Inbound!.UnprotectRtp(wire, out int plainLength));
        Assert.Equal(plain, wire[..plainLength]);
    }

    [Fact]
    public async Task Session_whose_peer_stops_checking_is_removed_when_consent_expires()
    {
        using UdpMediaTransport transport = StartTransport(consentTimeout: TimeSpan.FromSeconds(1));
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        var closed = new TaskCompletionSource<SessionCloseReason?>();
        session.Closed += s => closed.TrySetResult(s.CloseReason);
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);
        browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true);
        Assert.Null(browser.ConnectDtls([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]));

        // Checks keep it alive for a while...
        for (int i = 0; i < 6; i++)
        {
            await Task.Delay(250);
            Assert.NotNull(browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: false));
        }

        Assert.False(session.IsClosed);

        // ...then silence ends it.
        Assert.Equal(SessionCloseReason.ConsentExpired, await closed.Task.WaitAsync(Patience));
        Assert.Equal(0, transport.SessionCount);
        long unknownBefore = transport.Counters.Dropped(TransportDropReason.UnknownEndpoint);
        browser.SendRtp(SrtpTestPackets.RtpPacket(1));
        Assert.True(SpinWait.SpinUntil(() => transport.Counters.Dropped(TransportDropReason.UnknownEndpoint) > unknownBefore, Patience));
        Assert.Null(browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true, waitMilliseconds: 300));
    }

    [Fact]
    public void Session_that_never_connects_expires_too()
    {
        using UdpMediaTransport transport = StartTransport(consentTimeout: TimeSpan.FromMilliseconds(200));
        ParticipantSession session = transport.CreateSession(BrowserSdp());

        Assert.True(SpinWait.SpinUntil(() => session.IsClosed, Patience));
        Assert.Equal(SessionCloseReason.ConsentExpired, session.CloseReason);
        Assert.Contains("never connected", session.CloseDetail);
    }

    [Fact]
    public void Peer_whose_certificate_does_not_match_its_sdp_is_removed_with_the_dtls_reason()
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp(DtlsCertificate.CreateSelfSigned("impostor").Fingerprint));
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);
        browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true);

        Assert.NotNull(browser.ConnectDtls([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]));

        Assert.True(SpinWait.SpinUntil(() => session.IsClosed, Patience));
        Assert.Equal(SessionCloseReason.DtlsFailed, session.CloseReason);
        Assert.Contains(nameof(DtlsFailureReason.FingerprintMismatch), session.CloseDetail);
        Assert.Equal(1, transport.Counters.HandshakesFailed);
        Assert.Equal(0, transport.SessionCount);
    }

    [Fact]
    public void Checks_with_bad_credentials_are_counted_and_bind_nothing()
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);

        byte[]? wrongPassword = browser.Check(session.LocalUfrag, "not-the-password-at-all", useCandidate: true);
        byte[]? unknownUfrag = browser.Check("nobody", session.LocalPassword, useCandidate: true, waitMilliseconds: 300);
        byte[]? wrongRemoteUfrag = browser.Check(
            session.LocalUfrag, session.LocalPassword, useCandidate: true, remoteUfrag: "other", waitMilliseconds: 300);

        Assert.True(StunMessage.TryParse(wrongPassword, out StunMessage error, out _));
        Assert.True(error.TryGetErrorCode(out int code, out _));
        Assert.Equal(401, code);
        Assert.Null(unknownUfrag);
        Assert.Null(wrongRemoteUfrag);
        Assert.Equal(1, transport.Counters.Dropped(TransportDropReason.StunRejected));
        Assert.Equal(1, transport.Counters.Dropped(TransportDropReason.StunUnknownUsername));
        Assert.Equal(1, transport.Counters.Dropped(TransportDropReason.StunWrongRemoteUfrag));
        Assert.Null(session.RemoteEndPoint);
    }

    [Fact]
    public void Check_without_use_candidate_is_answered_but_does_not_bind_the_address()
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);

        AssertSignedSuccess(browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: false), session.LocalPassword, browser.LocalEndPoint);
        browser.Send([22, 254, 253, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

        Assert.Null(session.RemoteEndPoint);
        Assert.True(SpinWait.SpinUntil(() => transport.Counters.Dropped(TransportDropReason.UnknownEndpoint) == 1, Patience));
    }

    [Fact]
    public void Random_and_mutated_datagrams_into_the_receive_path_are_counted_and_never_throw()
    {
        using UdpMediaTransport transport = StartTransport();
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        using var browser = new LoopbackBrowser(transport.LocalEndPoint);
        browser.Check(session.LocalUfrag, session.LocalPassword, useCandidate: true);
        Assert.Null(browser.ConnectDtls([SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80]));
        Assert.True(SpinWait.SpinUntil(() => session.IsSecure, Patience));
        int delivered = 0;
        session.RtpReceived = (_, _) => delivered++;

        SocketAddress bound = browser.LocalEndPoint.Serialize();
        SocketAddress stranger = new IPEndPoint(IPAddress.Loopback, 9).Serialize();
        byte[] validSrtp = ProtectWithBrowserKeys(browser, SrtpTestPackets.RtpPacket(5000));
        var random = new Random(7);
        long receivedBefore = transport.Counters.DatagramsReceived;
        const int Datagrams = 50_000;
        for (int i = 0; i < Datagrams; i++)
        {
            byte[] datagram = (i % 4) switch
            {
                0 => RandomBytes(random),
                1 => Mutate(random, validSrtp),
                2 => Mutate(random, browser.LastCheck ?? validSrtp),
                _ => WithFirstByte(random, RandomBytes(random)),
            };
            transport.HandleDatagram(datagram, i % 3 == 0 ? stranger : bound);
        }

        Assert.Equal(Datagrams, transport.Counters.DatagramsReceived - receivedBefore);
        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.InternalError));
        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.HandlerFailed));
        Assert.True(transport.Counters.Dropped(TransportDropReason.SrtpAuthenticationFailed) > 1000);
        Assert.True(transport.Counters.Dropped(TransportDropReason.UnknownEndpoint) > 1000);
        Assert.True(transport.Counters.Dropped(TransportDropReason.UnknownProtocol) > 1000);
        Assert.True(transport.Counters.Dropped(TransportDropReason.StunMalformed) > 100);
        Assert.Equal(1, transport.SessionCount);
        Assert.False(session.IsClosed);
        Assert.InRange(delivered, 0, 10);
    }

    [Fact]
    public void Srtp_arriving_before_the_keys_are_installed_is_held_and_delivered_in_order_once_keyed()
    {
        using var transport = new UdpMediaTransport(SfuCertificate); // not started: the receive path is driven directly
        ParticipantSession session = transport.CreateSession(BrowserSdp());
        var delivered = new List<ushort>();
        session.RtpReceived = (_, packet) => delivered.Add((ushort)((packet[2] << 8) | packet[3]));
        SocketAddress browser = new IPEndPoint(IPAddress.Parse("198.51.100.7"), 5004).Serialize();
        transport.HandleDatagram(LoopbackBrowser.BuildCheck(session.LocalUfrag, session.LocalPassword, useCandidate: true), browser);
        Assert.NotNull(session.RemoteEndPoint);

        const SrtpProfile Profile = SrtpProfile.AesCm128HmacSha1_80;
        byte[] material = System.Security.Cryptography.RandomNumberGenerator.GetBytes(SrtpKeyingMaterial.Length(Profile));
        SrtpKeyingMaterial.CreateContexts(Profile, material, isDtlsServer: false, out SrtpContext browserOut, out SrtpContext browserIn);
        using (browserOut)
        using (browserIn)
        {
            int early = ParticipantSession.MaxEarlyPackets + 3;
            for (ushort sequence = 1; sequence <= early; sequence++)
            {
                transport.HandleDatagram(SrtpTestPackets.ProtectRtp(browserOut, SrtpTestPackets.RtpPacket(sequence)), browser);
            }

            Assert.Empty(delivered);
            Assert.Equal(3, transport.Counters.Dropped(TransportDropReason.NotYetSecure));

            session.InstallKeys(DtlsHandshakeResult.Success(Profile, material, isDtlsServer: true));
            ushort next = (ushort)(early + 1);
            transport.HandleDatagram(SrtpTestPackets.ProtectRtp(browserOut, SrtpTestPackets.RtpPacket(next)), browser);

            ushort[] expected = [.. Enumerable.Range(1, ParticipantSession.MaxEarlyPackets).Select(i => (ushort)i), next];
            Assert.Equal(expected, delivered);
            Assert.Equal(0, session.EarlyPacketCount);
        }
    }

    private static byte[] ProtectWithBrowserKeys(LoopbackBrowser browser, byte[] plain)
    {
        byte[] buffer = new byte[plain.Length + browser.Outbound!.RtpOverhead];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, browser.Outbound.ProtectRtp(buffer, plain.Length, out _));
        return buffer;
    }

    private static byte[] RandomBytes(Random random)
    {
        byte[] bytes = new byte[random.Next(0, 1500)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] WithFirstByte(Random random, byte[] datagram)
    {
        if (datagram.Length > 0)
        {
            byte[] firsts = [0, 1, 20, 22, 23, 128, 144, 200];
            datagram[0] = firsts[random.Next(firsts.Length)];
        }

        return datagram;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        byte[] copy = source[..random.Next(0, source.Length + 1)];
        for (int flips = random.Next(1, 4); flips > 0 && copy.Length > 0; flips--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static void AssertSignedSuccess(byte[]? response, string password, IPEndPoint expectedMapped)
    {
        Assert.NotNull(response);
        Assert.True(StunMessage.TryParse(response, out StunMessage message, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.MessageType);
        using var key = StunIntegrityKey.FromPassword(password);
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.True(message.VerifyFingerprint());
        Span<byte> address = stackalloc byte[16];
        Assert.True(message.TryGetXorMappedAddress(address, out int length, out ushort port));
        Assert.Equal(expectedMapped, new IPEndPoint(new IPAddress(address[..length]), port));
    }
}
