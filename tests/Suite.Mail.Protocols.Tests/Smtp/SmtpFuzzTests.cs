using System.Text;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Protocols.Tests.Smtp;

/// <summary>Mutated SMTP server transcripts: the client may fail, but only with <see cref="SmtpException"/>s.</summary>
public sealed class SmtpFuzzTests
{
    private const string Transcript =
        "220 mail.test ESMTP Postfix\r\n" +
        "250-mail.test\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n" +
        "235 2.7.0 Authentication successful\r\n" +
        "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n550 5.1.1 <x@y>: Recipient address rejected\r\n354 End data with <CR><LF>.<CR><LF>\r\n" +
        "250 2.0.0 Ok: queued as 4F2\r\n" +
        "250 2.0.0 Ok\r\n" +
        "221 2.0.0 Bye\r\n";

    private static readonly string[] Tokens = ["\r\n", "-", " ", "250", "354 go\r\n", "550 5.1.1 no\r\n", "221 bye\r\n", "334 \r\n", "5.", "999", "\0", "é", "250-SIZE x\r\n", "SIZE 1\r\n"];

    [Fact]
    public async Task Mutated_replies_only_ever_raise_smtp_exceptions()
    {
        var random = new Random(99);
        var seed = Encoding.UTF8.GetBytes(Transcript);
        for (var i = 0; i < 2000; i++)
        {
            var input = i == 0 ? seed : Mutate(random, seed);
            try
            {
                await RunAsync(input, 1 + random.Next(32));
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} threw {e}\ninput (base64): {Convert.ToBase64String(input)}");
            }
        }
    }

    [Fact]
    public async Task The_unmutated_transcript_sends_the_message()
    {
        Assert.Equal(4, await RunAsync(Encoding.UTF8.GetBytes(Transcript), 5));
    }

    private static async Task<int> RunAsync(byte[] transcript, int chunk)
    {
        var stream = new ReplayStream(transcript, chunk);
        SmtpClient client;
        try
        {
            client = await SmtpClient.ConnectAsync(stream, new SmtpClientOptions { Host = "fuzz", Tls = MailTlsMode.None, Timeout = TimeSpan.FromSeconds(5) });
        }
        catch (SmtpException)
        {
            return 0;
        }

        await using var _ = client;
        var completed = 0;
        Func<Task>[] steps =
        [
            () => client.AuthenticateAsync("u", "p"),
            () => client.SendAsync("a@x", ["b@x", "x@y"], new MemoryStream("Subject: s\r\n\r\n.body\r\n"u8.ToArray())),
            () => client.NoopAsync(),
            () => client.QuitAsync(),
        ];
        foreach (var step in steps)
        {
            try
            {
                await step().WaitAsync(TimeSpan.FromSeconds(10));
                completed++;
            }
            catch (SmtpException)
            {
            }
        }

        return completed;
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        for (var e = 1 + random.Next(5); e > 0 && data.Count > 0; e--)
        {
            var at = random.Next(data.Count);
            switch (random.Next(4))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(10)));
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return [.. data];
    }

    private sealed class ReplayStream(byte[] transcript, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => ReadCore(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(ReadCore(buffer.Span));

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private int ReadCore(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(buffer.Length, chunk), transcript.Length - _position);
            transcript.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
    }
}
