using System.Diagnostics;
using System.Net.Sockets;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;

namespace Suite.Bench.Mail;

/// <summary>
/// `--mode imap-profile`: the client side of the header sync alone, without server, TLS or socket. One plain-text session
/// (LOGIN, SELECT, UID FETCH of everything) is recorded from the throwaway Dovecot; the server's bytes are then replayed
/// to a fresh <see cref="ImapClient"/> many times from memory (the client's tags are deterministic, so the same
/// commands get the same answers). Prints CPU per message, to tune the response reader and parsers.
/// </summary>
internal static class ImapReplay
{
    public static async Task<byte[]> RecordAsync(int port, string user, string password)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var recording = new RecordingStream(tcp.GetStream());
        await SessionAsync(recording, user, password);
        return recording.Received.ToArray();
    }

    public static async Task ReplayAsync(byte[] serverBytes, int rounds, string user, string password)
    {
        for (var round = 0; round < rounds; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var count = await SessionAsync(new ReplayStream(serverBytes), user, password);
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            Console.WriteLine($"  replay {round}: {count} messages, {serverBytes.Length / 1e6:0.0} MB of responses, wall {clock.Elapsed.TotalMilliseconds,6:0} ms, CPU {cpuMs,6:0} ms ({cpuMs * 1000 / count:0.0} µs per message)");
        }
    }

    /// <summary>Splits the client's cost: framing + generic response parsing alone, then with the FETCH data parser.</summary>
    public static async Task BreakdownAsync(byte[] serverBytes, int rounds)
    {
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (typed, keep) in new[] { (false, false), (true, false), (true, true) })
            {
                var kept = new List<ImapMessageSummary>();
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var reader = new ImapResponseReader(new ReplayStream(serverBytes));
                var count = 0;
                try
                {
                    while (true)
                    {
                        var response = await reader.ReadAsync(null, CancellationToken.None);
                        if (typed && response.Is("FETCH"))
                        {
                            var summary = ImapDataParser.ParseFetch(response.Number ?? 0, response.Value(0));
                            if (keep)
                            {
                                kept.Add(summary);
                            }
                        }

                        count++;
                    }
                }
                catch (ImapConnectionException)
                {
                }

                var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
                Console.WriteLine($"  {(keep ? "read + parse + ParseFetch, kept" : typed ? "read + parse + ParseFetch" : "read + parse"),-34} {count} responses, CPU {cpuMs,6:0} ms");
            }
        }
    }

    private static async Task<int> SessionAsync(Stream stream, string user, string password)
    {
        var options = new ImapClientOptions { Host = "127.0.0.1", Tls = MailTlsMode.None, Timeout = TimeSpan.FromMinutes(5) };
        var client = await ImapClient.ConnectAsync(stream, options);
        await using (client)
        {
            await client.LoginAsync(user, password);
            var mailbox = await client.SelectAsync("INBOX");
            var last = (mailbox.UidNext ?? 2) - 1;
            var all = await client.UidFetchAsync(Enumerable.Range(1, (int)last).Select(i => (uint)i), ImapFetchItems.Summary);
            await client.LogoutAsync();
            return all.Count;
        }
    }

    private sealed class RecordingStream(Stream inner) : Stream
    {
        public MemoryStream Received { get; } = new();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = await inner.ReadAsync(buffer, cancellationToken);
            Received.Write(buffer.Span[..n]);
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override void Flush() => inner.Flush();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    /// <summary>Hands out the recorded server bytes in 16 KiB reads (a TLS record's worth) and swallows what is written.</summary>
    private sealed class ReplayStream(byte[] bytes) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
