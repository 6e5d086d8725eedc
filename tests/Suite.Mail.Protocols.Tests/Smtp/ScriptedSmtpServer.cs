using System.IO.Pipelines;
using System.Text;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Protocols.Tests.Smtp;

/// <summary>
/// An in-memory SMTP peer: a handler answers each command line; after a 354 answer the server collects the message
/// up to the "." line and answers with <see cref="DataAnswer"/>. Received lines and the raw DATA are recorded.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly Pipe _toClient = new();
    private readonly Pipe _toServer = new();
    private readonly Func<string, string?> _respond;
    private readonly Task _loop;

    private ScriptedSmtpServer(Func<string, string?> respond, string greeting)
    {
        _respond = respond;
        ClientStream = new PipeDuplexStream(_toClient.Reader.AsStream(), _toServer.Writer.AsStream());
        _loop = Task.Run(() => RunAsync(greeting));
    }

    public Stream ClientStream { get; }

    public List<string> Lines { get; } = [];

    /// <summary>The DATA bytes exactly as sent (dot-stuffed, without the terminating ".\r\n").</summary>
    public List<string> Data { get; } = [];

    public string DataAnswer { get; set; } = "250 2.0.0 Ok: queued as 123\r\n";

    public const string Ehlo = "250-mail.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8\r\n";

    public static async Task<(SmtpClient Client, ScriptedSmtpServer Server)> StartAsync(Func<string, string?> respond, string greeting = "220 mail.test ESMTP\r\n", TimeSpan? timeout = null)
    {
        var server = new ScriptedSmtpServer(respond, greeting);
        var client = await SmtpClient.ConnectAsync(server.ClientStream, new SmtpClientOptions { Host = "test", Tls = MailTlsMode.None, Timeout = timeout ?? TimeSpan.FromSeconds(5) });
        return (client, server);
    }

    public async ValueTask DisposeAsync()
    {
        await _toClient.Writer.CompleteAsync();
        await _toServer.Writer.CompleteAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or TimeoutException)
        {
        }
    }

    private async Task PushAsync(string text) => await _toClient.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));

    private async Task RunAsync(string greeting)
    {
        var input = _toServer.Reader.AsStream();
        await PushAsync(greeting);
        try
        {
            while (await ReadLineAsync(input) is { } line)
            {
                lock (Lines)
                {
                    Lines.Add(line);
                }

                var answer = _respond(line);
                if (answer is null)
                {
                    continue;
                }

                await PushAsync(answer);
                if (answer.StartsWith("354", StringComparison.Ordinal))
                {
                    var data = new StringBuilder();
                    while (await ReadLineAsync(input) is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine).Append("\r\n");
                    }

                    Data.Add(data.ToString());
                    await PushAsync(DataAnswer);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
        {
        }
    }

    private static async Task<string?> ReadLineAsync(Stream input)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (await input.ReadAsync(one) == 0)
            {
                return null;
            }

            if (one[0] == '\n' && bytes.Count > 0 && bytes[^1] == '\r')
            {
                return Encoding.UTF8.GetString([.. bytes[..^1]]);
            }

            bytes.Add(one[0]);
        }
    }

    private sealed class PipeDuplexStream(Stream read, Stream write) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => write.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => write.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => read.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => read.ReadAsync(buffer, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => write.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => write.WriteAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                read.Dispose();
                write.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
