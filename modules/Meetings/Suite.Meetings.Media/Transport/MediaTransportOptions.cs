using System.Net;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Transport;

/// <summary>Settings of the shared media port.</summary>
internal sealed record MediaTransportOptions
{
    /// <summary>Where the socket binds; port 0 picks a free one.</summary>
    public IPEndPoint BindEndPoint { get; init; } = new(IPAddress.Any, 0);

    /// <summary>The addresses announced as host candidates (e.g. the public address behind a 1:1 NAT); empty: the bound address.</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [];

    /// <summary>A session without an authenticated check from its bound address for this long is removed (RFC 7675 uses 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan ConsentCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public DtlsHandshakeOptions Handshake { get; init; } = DtlsHandshakeOptions.Default;

    /// <summary>Threads running DTLS handshakes. A handshake blocks its thread mostly waiting for the peer's next flight
    /// (up to the handshake timeout when the peer vanishes), not on CPU: two threads made a join storm, or two silent
    /// peers, hold everyone else's media for seconds.</summary>
    public int HandshakeWorkers { get; init; } = 16;

    public int HandshakeQueueCapacity { get; init; } = 256;

    public int MaxSessions { get; init; } = 10_000;

    /// <summary>Kernel receive/send buffer of the socket, to ride out bursts while the loop is busy.</summary>
    public int SocketBufferBytes { get; init; } = 4 * 1024 * 1024;
}
