namespace Suite.Meetings.Media.Dtls;

/// <summary>Sends one datagram to the peer (the transport's socket, or an in-memory pair in tests).</summary>
internal delegate void DatagramSender(ReadOnlySpan<byte> datagram);
