using Org.BouncyCastle.Crypto.Tls;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Tests.Srtp;

namespace Suite.Meetings.Media.Tests.Dtls;

public sealed class DtlsSrtpHandshakeTests
{
    private const int Cm80 = SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80;
    private const int Gcm128 = SrtpProtectionProfile.SRTP_AEAD_AES_128_GCM;
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    public static TheoryData<int[], int> OfferedAndExpectedProfiles => new()
    {
        { [Cm80], (int)SrtpProfile.AesCm128HmacSha1_80 },
        { [Gcm128], (int)SrtpProfile.AeadAes128Gcm },
        { [Cm80, Gcm128], (int)SrtpProfile.AeadAes128Gcm },
    };

    [Theory]
    [MemberData(nameof(OfferedAndExpectedProfiles))]
    public async Task Both_sides_export_the_same_srtp_keys_for_the_negotiated_profile(int[] offered, int expectedProfile)
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, offered);

        ClientOutcome clientOutcome = await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.Null(clientOutcome.Error);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal((SrtpProfile)expectedProfile, result.Profile);
        Assert.Equal(expectedProfile, client.SelectedProfile);
        Assert.Equal(DtlsLoopback.ServerCertificate.Der, client.ServerCertificateDer);

        byte[] material = client.KeyingMaterial!;
        Assert.Equal(SrtpKeyingMaterial.Length(result.Profile), material.Length);
        SrtpKeyingMaterial.Split(result.Profile, material, isDtlsServer: false, out SrtpMasterKey clientWrite, out SrtpMasterKey serverWrite);
        Assert.Equal(clientWrite.Key, result.Remote!.Key);
        Assert.Equal(clientWrite.Salt, result.Remote.Salt);
        Assert.Equal(serverWrite.Key, result.Local!.Key);
        Assert.Equal(serverWrite.Salt, result.Local.Salt);
        Assert.NotEqual(result.Local.Key, result.Remote.Key);
    }

    [Theory]
    [InlineData(Cm80)]
    [InlineData(Gcm128)]
    public async Task Srtp_protected_with_the_clients_exported_keys_is_unprotected_by_the_server(int offered)
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [offered]);
        await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);
        Assert.True(result.Succeeded, result.ToString());

        SrtpKeyingMaterial.CreateContexts(result.Profile, client.KeyingMaterial, isDtlsServer: false, out SrtpContext clientOut, out SrtpContext clientIn);
        result.CreateSrtpContexts(out SrtpContext serverOut, out SrtpContext serverIn);
        using (clientOut)
        using (clientIn)
        using (serverOut)
        using (serverIn)
        {
            byte[] plain = SrtpTestPackets.RtpPacket(sequence: 4242);
            byte[] wire = SrtpTestPackets.ProtectRtp(clientOut, plain);
            Assert.Equal(SrtpError.None, serverIn.UnprotectRtp(wire, out int plainLength));
            Assert.Equal(plain, wire[..plainLength]);

            byte[] rtcp = SrtpTestPackets.RtcpPacket();
            byte[] rtcpWire = SrtpTestPackets.ProtectRtcp(serverOut, rtcp);
            Assert.Equal(SrtpError.None, clientIn.UnprotectRtcp(rtcpWire, out int rtcpLength));
            Assert.Equal(rtcp, rtcpWire[..rtcpLength]);

            // The server's own write key cannot open what the client wrote: directions are not mixed up.
            byte[] again = SrtpTestPackets.ProtectRtp(clientOut, SrtpTestPackets.RtpPacket(sequence: 4243));
            Assert.Equal(SrtpError.AuthenticationFailed, serverOut.UnprotectRtp(again, out _));
        }
    }

    [Fact]
    public async Task Dtls_1_0_client_gets_a_cbc_suite_and_working_keys()
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [Cm80], ProtocolVersion.DTLSv10);

        ClientOutcome outcome = await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.Null(outcome.Error);
        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, client.NegotiatedCipherSuite);
        SrtpKeyingMaterial.Split(result.Profile, client.KeyingMaterial, isDtlsServer: false, out SrtpMasterKey clientWrite, out _);
        Assert.Equal(clientWrite.Key, result.Remote!.Key);
    }

    [Fact]
    public async Task Dtls_1_2_client_gets_the_gcm_suite()
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [Cm80]);
        await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        Assert.True((await loopback.Server.Completion.WaitAsync(TestTimeout)).Succeeded);
        Assert.Equal(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, client.NegotiatedCipherSuite);
    }

    [Fact]
    public async Task Certificate_that_does_not_match_the_sdp_fingerprint_fails_with_that_reason()
    {
        DtlsFingerprint someoneElse = DtlsCertificate.CreateSelfSigned("someone-else").Fingerprint;
        using var loopback = new DtlsLoopback(someoneElse);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [Cm80]);

        ClientOutcome outcome = await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.False(result.Succeeded);
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, result.FailureReason);
        Assert.Contains(DtlsLoopback.ClientCertificate.Fingerprint.ToSdpValue(), result.Detail);
        Assert.Null(result.Local);
        Assert.Equal(AlertDescription.bad_certificate, AlertOf(outcome.Error));
        Assert.Null(client.KeyingMaterial);
    }

    [Fact]
    public async Task Client_without_a_certificate_fails_with_that_reason()
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [Cm80], presentCertificate: false);

        ClientOutcome outcome = await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.Equal(DtlsFailureReason.NoClientCertificate, result.FailureReason);
        Assert.Equal(AlertDescription.handshake_failure, AlertOf(outcome.Error));
    }

    [Fact]
    public async Task Client_offering_only_unsupported_srtp_profiles_fails_with_that_reason()
    {
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint);
        var client = new TestDtlsSrtpClient(
            DtlsLoopback.ClientCertificate, [SrtpProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_32, SrtpProtectionProfile.SRTP_NULL_HMAC_SHA1_80]);

        ClientOutcome outcome = await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.Equal(DtlsFailureReason.NoCommonSrtpProfile, result.FailureReason);
        Assert.Contains("[2, 5]", result.Detail);
        Assert.Equal(AlertDescription.handshake_failure, AlertOf(outcome.Error));
    }

    [Fact]
    public async Task Server_refusing_gcm_negotiates_aes_cm_with_a_client_offering_both()
    {
        var options = new DtlsHandshakeOptions { SrtpProfiles = [SrtpProfile.AesCm128HmacSha1_80] };
        using var loopback = new DtlsLoopback(DtlsLoopback.ClientCertificate.Fingerprint, options);
        var client = new TestDtlsSrtpClient(DtlsLoopback.ClientCertificate, [Gcm128, Cm80]);

        await loopback.ConnectClient(client).WaitAsync(TestTimeout);
        DtlsHandshakeResult result = await loopback.Server.Completion.WaitAsync(TestTimeout);

        Assert.Equal(SrtpProfile.AesCm128HmacSha1_80, result.Profile);
        Assert.Equal(Cm80, client.SelectedProfile);
    }

    [Fact]
    public async Task Garbage_datagrams_end_in_a_timeout_without_an_exception()
    {
        var sent = new List<byte[]>();
        var options = new DtlsHandshakeOptions { Timeout = TimeSpan.FromMilliseconds(700), QueueCapacity = 8 };
        using var pool = new DtlsHandshakeWorkerPool(workerCount: 1, queueCapacity: 2);
        using var handshake = new DtlsServerHandshake(
            DtlsLoopback.ServerCertificate, DtlsLoopback.ClientCertificate.Fingerprint, datagram => sent.Add(datagram.ToArray()), options);
        handshake.Start(pool);

        var random = new Random(1234);
        int accepted = 0;
        for (int i = 0; i < 200; i++)
        {
            byte[] garbage = new byte[random.Next(1, 300)];
            random.NextBytes(garbage);
            garbage[0] = (byte)random.Next(20, 64); // looks like DTLS to the demultiplexer
            if (handshake.TryEnqueue(garbage))
            {
                accepted++;
            }
        }

        DtlsHandshakeResult result = await handshake.Completion.WaitAsync(TestTimeout);

        Assert.Equal(DtlsFailureReason.Timeout, result.FailureReason);
        Assert.True(accepted >= 8, $"only {accepted} queued");
        Assert.True(handshake.DroppedRecords > 0, "a full queue drops and counts");
        Assert.Equal(0, pool.JobFailures);
        Assert.False(handshake.TryEnqueue([22, 254, 253]), "records after the end are dropped");
    }

    [Fact]
    public async Task Client_that_goes_silent_times_out_with_a_reason()
    {
        var options = new DtlsHandshakeOptions { Timeout = TimeSpan.FromMilliseconds(500) };
        using var pool = new DtlsHandshakeWorkerPool(workerCount: 1, queueCapacity: 2);
        using var handshake = new DtlsServerHandshake(
            DtlsLoopback.ServerCertificate, DtlsLoopback.ClientCertificate.Fingerprint, _ => { }, options);
        handshake.Start(pool);

        DtlsHandshakeResult result = await handshake.Completion.WaitAsync(TestTimeout);

        Assert.Equal(DtlsFailureReason.Timeout, result.FailureReason);
        Assert.Contains("0.5 s", result.Detail);
    }

    [Fact]
    public async Task Closing_a_running_handshake_completes_it_as_closed()
    {
        using var pool = new DtlsHandshakeWorkerPool(workerCount: 1, queueCapacity: 2);
        var handshake = new DtlsServerHandshake(DtlsLoopback.ServerCertificate, DtlsLoopback.ClientCertificate.Fingerprint, _ => { });
        handshake.Start(pool);

        handshake.Dispose();
        DtlsHandshakeResult result = await handshake.Completion.WaitAsync(TestTimeout);

        Assert.Equal(DtlsFailureReason.Closed, result.FailureReason);
    }

    [Fact]
    public async Task Handshakes_beyond_the_pool_capacity_are_refused_as_overloaded()
    {
        var options = new DtlsHandshakeOptions { Timeout = TimeSpan.FromSeconds(20) };
        using var pool = new DtlsHandshakeWorkerPool(workerCount: 1, queueCapacity: 1);
        var handshakes = Enumerable.Range(0, 3)
            .Select(_ => new DtlsServerHandshake(DtlsLoopback.ServerCertificate, DtlsLoopback.ClientCertificate.Fingerprint, _ => { }, options))
            .ToList();

        handshakes.ForEach(h => h.Start(pool));
        DtlsHandshakeResult refused = await handshakes[2].Completion.WaitAsync(TestTimeout);
        handshakes.ForEach(h => h.Dispose());

        Assert.Equal(DtlsFailureReason.Overloaded, refused.FailureReason);
        foreach (DtlsServerHandshake handshake in handshakes)
        {
            Assert.False((await handshake.Completion.WaitAsync(TestTimeout)).Succeeded);
        }
    }

    /// <summary>The alert the client learnt of: BouncyCastle 1.8.10's DTLS client rethrows a received alert as TlsFatalAlert.</summary>
    private static byte? AlertOf(Exception? error) => error switch
    {
        TlsFatalAlertReceived received => received.AlertDescription,
        TlsFatalAlert alert => alert.AlertDescription,
        _ => null,
    };
}
