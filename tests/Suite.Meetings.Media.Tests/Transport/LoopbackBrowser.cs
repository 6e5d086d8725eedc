using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Suite.Meetings.Media.Demux;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Srtp;
using Suite.Meetings.Media.Stun;
using Suite.Meetings.Media.Tests.Dtls;

namespace Suite.Meetings.Media.Tests.Transport;

/// <summary>
/// What a browser does on the wire towards an ICE-lite SFU, on its own UDP socket: connectivity checks written with
/// the STUN writer, a BouncyCastle DTLS client, and SRTP with the exported keys. A pump thread sorts what comes back.
/// </summary>
internal sealed class LoopbackBrowser : IDisposable
{
    public const string Ufrag = "brws";
    public const string Password = "browserPasswordBrowser12";

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _server;
    private readonly QueuedDatagramTransport _dtls;
    private readonly BlockingCollection<byte[]> _stun = new(64);
    private readonly Thread _pump;
    private volatile bool _stopping;

    public LoopbackBrowser(IPEndPoint server)
    {
        _server = server;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _dtls = new QueuedDatagramTransport(datagram => _socket.SendTo(datagram, SocketFlags.None, _server));
        _dtls.SetDeadline(TimeSpan.FromSeconds(20));
        _pump = new Thread(Pump) { IsBackground = true };
        _pump.Start();
    }

    public static DtlsCertificate Certificate { get; } = DtlsCertificate.CreateSelfSigned("loopback-browser");

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public ConcurrentQueue<byte[]> ReceivedSrtp { get; } = new();

    public SrtpContext? Outbound { get; private set; }

    public SrtpContext? Inbound { get; private set; }

    public TestDtlsSrtpClient? DtlsClient { get; private set; }

    /// <summary>The last Binding request sent (a valid, signed one: a good seed for mutation).</summary>
    public byte[]? LastCheck { get; private set; }

    /// <summary>Sends a Binding request and waits for the answer; null when none came.</summary>
    public byte[]? Check(string serverUfrag, string serverPassword, bool useCandidate, string? remoteUfrag = null, int waitMilliseconds = 2000)
    {
        LastCheck = BuildCheck(serverUfrag, serverPassword, useCandidate, remoteUfrag);
        Send(LastCheck);
        return _stun.TryTake(out byte[]? response, waitMilliseconds) ? response : null;
    }

    /// <summary>A signed Binding request as a controlling browser sends it: "server:browser" USERNAME, PRIORITY, ICE-CONTROLLING.</summary>
    public static byte[] BuildCheck(string serverUfrag, string serverPassword, bool useCandidate, string? remoteUfrag = null)
    {
        using var key = StunIntegrityKey.FromPassword(serverPassword);
        byte[] request = new byte[256];
        var writer = new StunMessageWriter(request, StunMessageType.BindingRequest, NewTransactionId());
        writer.AddUsername(Encoding.UTF8.GetBytes($"{serverUfrag}:{remoteUfrag ?? Ufrag}"));
        writer.AddPriority(0x6E7F1EFF);
        writer.AddIceControlling(0x0102030405060708);
        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();
        Assert.True(writer.TryComplete(out int length));
        return request[..length];
    }

    /// <summary>Runs the DTLS client handshake and derives both SRTP contexts from it; returns the client's error, if any.</summary>
    public Exception? ConnectDtls(int[] offeredProfiles)
    {
        DtlsClient = new TestDtlsSrtpClient(Certificate, offeredProfiles);
        try
        {
            new DtlsClientProtocol(new SecureRandom()).Connect(DtlsClient, _dtls);
        }
        catch (Exception exception)
        {
            return exception;
        }

        var profile = (SrtpProfile)DtlsClient.SelectedProfile;
        SrtpKeyingMaterial.CreateContexts(profile, DtlsClient.KeyingMaterial, isDtlsServer: false, out SrtpContext outbound, out SrtpContext inbound);
        Outbound = outbound;
        Inbound = inbound;
        return null;
    }

    public void SendRtp(byte[] plain)
    {
        byte[] buffer = new byte[plain.Length + Outbound!.RtpOverhead];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpError.None, Outbound.ProtectRtp(buffer, plain.Length, out int length));
        Send(buffer.AsSpan(0, length));
    }

    public void Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _server);

    public void Dispose()
    {
        _stopping = true;
        _dtls.Close();
        _socket.Dispose();
        _pump.Join(TimeSpan.FromSeconds(5));
        Outbound?.Dispose();
        Inbound?.Dispose();
    }

    private static byte[] NewTransactionId() => System.Security.Cryptography.RandomNumberGenerator.GetBytes(12);

    private void Pump()
    {
        byte[] buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                if (_stopping)
                {
                    return;
                }

                continue;
            }

            byte[] datagram = buffer[..length];
            switch (PacketClassifier.Classify(datagram))
            {
                case PacketKind.Stun:
                    _stun.TryAdd(datagram);
                    break;
                case PacketKind.Dtls:
                    _dtls.TryEnqueue(datagram);
                    break;
                case PacketKind.Rtp or PacketKind.Rtcp:
                    ReceivedSrtp.Enqueue(datagram);
                    break;
            }
        }
    }
}
