using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Tests.Dtls;

/// <summary>What the test client ended with: the DTLS transport, or the exception its Connect threw.</summary>
internal sealed record ClientOutcome(DtlsTransport? Transport, Exception? Error);

/// <summary>
/// Wires a <see cref="DtlsServerHandshake"/> and a <see cref="TestDtlsSrtpClient"/> back to back in memory: each
/// side's sends land in the other's queue, as datagrams through a socket would.
/// </summary>
internal sealed class DtlsLoopback : IDisposable
{
    public static readonly DtlsCertificate ServerCertificate = DtlsCertificate.CreateSelfSigned("sfu-under-test");
    public static readonly DtlsCertificate ClientCertificate = DtlsCertificate.CreateSelfSigned("browser");

    private readonly QueuedDatagramTransport _clientTransport;

    public DtlsLoopback(DtlsFingerprint expectedClientFingerprint, DtlsHandshakeOptions? options = null)
    {
        Pool = new DtlsHandshakeWorkerPool(workerCount: 1, queueCapacity: 4);
        Server = new DtlsServerHandshake(
            ServerCertificate, expectedClientFingerprint, datagram => _clientTransport!.TryEnqueue(datagram), options);
        _clientTransport = new QueuedDatagramTransport(datagram => Server.TryEnqueue(datagram));
        _clientTransport.SetDeadline(TimeSpan.FromSeconds(20));
    }

    public DtlsHandshakeWorkerPool Pool { get; }

    public DtlsServerHandshake Server { get; }

    public Task<ClientOutcome> ConnectClient(TestDtlsSrtpClient client)
    {
        Server.Start(Pool);
        return Task.Factory.StartNew(
            () =>
            {
                try
                {
                    return new ClientOutcome(new DtlsClientProtocol(new SecureRandom()).Connect(client, _clientTransport), null);
                }
                catch (Exception exception)
                {
                    return new ClientOutcome(null, exception);
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    public void Dispose()
    {
        _clientTransport.Close();
        Server.Dispose();
        Pool.Dispose();
    }
}
