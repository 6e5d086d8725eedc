using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

/// <summary>
/// An in-memory IMAP peer for unit tests: for each command line the client sends, a handler returns the raw text to
/// answer ("{tag}" is replaced by the command's tag). Literals sent by the client are read (and acknowledged with "+"
/// when synchronizing) and recorded with the command.
/// </summary>
internal sealed partial class ScriptedImapServer : IAsyncDisposable
{
    private readonly Pipe _toClient = new();
    private readonly Pipe _toServer = new();
    private readonly Func<string, string, string?> _respond;
    private readonly Task _loop;

    private ScriptedImapServer(string greeting, Func<string, string, string?> respond)
    {
        _respond = respond;
        ClientStream = new DuplexStream(_toClient.Reader.AsStream(), _toServer.Writer.AsStream());
        _loop = Task.Run(() => RunAsync(greeting));
    }

    public Stream ClientStream { get; }

    /// <summary>Command lines received (tag removed), literals appended after a newline.</summary>
    public List<string> Commands { get; } = [];

    public static async Task<(ImapClient Client, ScriptedImapServer Server)> StartAsync(
        Func<string, string, string?> respond,
        string capabilities = "IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN IDLE UIDPLUS MOVE ESEARCH CONDSTORE",
        TimeSpan? timeout = null)
    {
        var server = new ScriptedImapServer($"* OK [CAPABILITY {capabilities}] ready\r\n", respond);
        var client = await ImapClient.ConnectAsync(server.ClientStream, new ImapClientOptions { Host = "test", Tls = MailTlsMode.None, Timeout = timeout ?? TimeSpan.FromSeconds(5) });
        return (client, server);
    }

    /// <summary>Sends unsolicited text to the client at any moment.</summary>
    public async Task PushAsync(string text)
    {
        await _toClient.Writer.WriteAsync(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>Simulates the server vanishing.</summary>
    public async Task CloseAsync() => await _toClient.Writer.CompleteAsync();

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

    private async Task RunAsync(string greeting)
    {
        var input = _toServer.Reader.AsStream();
        await PushAsync(greeting);
        var line = new StringBuilder();
        try
        {
            while (await ReadLineAsync(input) is { } text)
            {
                line.Append(text);
                var literal = LiteralMarker().Match(text);
                if (literal.Success)
                {
                    if (literal.Groups[2].Value != "+")
                    {
                        await PushAsync("+ go ahead\r\n");
                    }

                    var bytes = new byte[int.Parse(literal.Groups[1].Value, CultureInfo.InvariantCulture)];
                    await input.ReadExactlyAsync(bytes);
                    line.Append('\n').Append(Encoding.UTF8.GetString(bytes));
                    continue;
                }

                var command = line.ToString();
                line.Clear();
                var space = command.IndexOf(' ');
                var tag = space > 0 ? command[..space] : string.Empty;
                var rest = space > 0 ? command[(space + 1)..] : command;
                lock (Commands)
                {
                    Commands.Add(rest);
                }

                if (_respond(tag, rest) is { } answer)
                {
                    await PushAsync(answer.Replace("{tag}", tag, StringComparison.Ordinal));
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException or EndOfStreamException)
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

            if (one[0] == '\n')
            {
                return Encoding.UTF8.GetString([.. bytes]).TrimEnd('\r');
            }

            bytes.Add(one[0]);
        }
    }

    [GeneratedRegex(@"\{(\d+)(\+?)\}$")]
    private static partial Regex LiteralMarker();

    /// <summary>Joins a read stream and a write stream into one bidirectional stream.</summary>
    private sealed class DuplexStream(Stream read, Stream write) : Stream
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
