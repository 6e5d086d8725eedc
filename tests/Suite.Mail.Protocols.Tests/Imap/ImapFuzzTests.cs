using System.Text;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

/// <summary>
/// Replays deterministically mutated server transcripts to a client running a typical webmail session. Whatever the
/// server sends, the only exceptions allowed out of the client are <see cref="ImapException"/>s: no index, null or
/// format errors, no hang (the transcript ends, so the client sees the connection close).
/// </summary>
public sealed class ImapFuzzTests
{
    private const int Iterations = 3000;

    /// <summary>Error messages of the last session, to explain a failure (tests in one class run one at a time).</summary>
    private static readonly List<string> Messages = [];

    private const string Transcript =
        "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SPECIAL-USE LIST-EXTENDED LIST-STATUS NAMESPACE UIDPLUS MOVE ESEARCH CONDSTORE QRESYNC AUTH=PLAIN] Dovecot ready.\r\n" +
        "A0001 OK [CAPABILITY IMAP4rev1 LITERAL+ IDLE NAMESPACE SPECIAL-USE LIST-EXTENDED LIST-STATUS UIDPLUS MOVE ESEARCH CONDSTORE] Logged in\r\n" +
        "* NAMESPACE ((\"\" \"/\")) NIL ((\"#shared/\" \"/\"))\r\nA0002 OK Namespace completed\r\n" +
        "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 3 UNSEEN 1 UIDNEXT 4 UIDVALIDITY 9 HIGHESTMODSEQ 7)\r\n" +
        "* LIST (\\HasNoChildren \\Sent) \"/\" {11}\r\nEnvoy&AOk-s\r\n* LIST (\\Noselect) \"/\" \"a\\\\b\"\r\nA0003 OK List completed\r\n" +
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Flags\r\n* 3 EXISTS\r\n* 0 RECENT\r\n" +
        "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n* OK [UIDNEXT 4] next\r\n* OK [HIGHESTMODSEQ 7] x\r\nA0004 OK [READ-WRITE] Select completed\r\n" +
        "* 1 FETCH (UID 1 FLAGS (\\Seen) INTERNALDATE \"03-Dec-2024 10:00:05 +0100\" RFC822.SIZE 420 MODSEQ (5) ENVELOPE (\"Tue, 3 Dec 2024 10:00:00 +0100\" " +
        "\"=?utf-8?Q?R=C3=A9union?=\" ((\"Zo\" NIL \"zoe\" \"example.org\")) NIL NIL ((NIL NIL \"team\" NIL)(NIL NIL \"bob\" \"x\")(NIL NIL NIL NIL)) NIL NIL NIL \"<id@x>\") " +
        "BODYSTRUCTURE ((\"text\" \"plain\" (\"charset\" \"utf-8\") NIL NIL \"7bit\" 10 1 NIL NIL NIL NIL)(\"application\" \"pdf\" (\"name\" \"a.pdf\") NIL NIL \"base64\" 40 NIL (\"attachment\" (\"filename\" \"a.pdf\")) NIL NIL) \"mixed\" (\"boundary\" \"b\") NIL NIL NIL))\r\n" +
        "* 4 EXISTS\r\n* 2 FETCH (UID 2 FLAGS () ENVELOPE (NIL {7}\r\nSubject NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"text\" \"plain\" NIL NIL NIL \"7bit\" 3 1))\r\nA0005 OK Fetch completed\r\n" +
        "* 2 EXPUNGE\r\n* 1 FETCH (UID 1 BODY[] {23}\r\nSubject: x\r\n\r\nhello\r\n\r\n)\r\nA0006 OK Fetch completed\r\n" +
        "* 1 FETCH (UID 1 BODY[1]<0> ~{3}\r\nabc)\r\nA0007 OK Fetch completed\r\n" +
        "* ESEARCH (TAG \"A0008\") UID COUNT 2 ALL 1,3:4\r\nA0008 OK Search completed\r\n" +
        "A0009 OK [MODIFIED 3] Store completed\r\n" +
        "* OK [COPYUID 9 1 5] Moved\r\n* 1 VANISHED 1\r\nA0010 OK Move completed\r\n" +
        "A0011 OK [APPENDUID 9 6] Append completed\r\n" +
        "+ idling\r\n* 5 EXISTS\r\n* 3 FETCH (FLAGS (\\Deleted))\r\n* VANISHED 3\r\nA0012 OK Idle completed\r\n" +
        "* BYE Logging out\r\nA0013 OK Logout completed\r\n";

    private static readonly string[] Tokens =
    [
        "\r\n", "\n", " ", "(", ")", "((", "))", "\"", "\\", "{", "}", "{5}\r\n", "{0}\r\n", "~{2}\r\n", "{99999}\r\n", "{4294967296}\r\n", "[", "]",
        "NIL", "*", "+", "+ \r\n", "* 0 EXISTS\r\n", "* 4294967295 EXPUNGE\r\n", "* BYE x\r\n", "A0001 ", "A0005 NO fail\r\n", "A0099 OK\r\n",
        "* 1 FETCH (", "BODY[", "BODY[]", "<0>", "UID", "0", "4294967296", "-1", "1:4294967295", ",", ":", "\0", "\u00e9", "\u00ff", "&", "&-", "&AOk",
        "[CAPABILITY IMAP4rev1]", "[COPYUID", "[APPENDUID x y]", "EARLIER", "ENVELOPE (", "BODYSTRUCTURE (", "\"\" ", "{1+}\r\n",
    ];

    [Fact]
    public async Task Mutated_server_responses_only_ever_raise_imap_exceptions()
    {
        var random = new Random(20_261_123);
        var seed = Encoding.UTF8.GetBytes(Transcript);
        for (var i = 0; i < Iterations; i++)
        {
            var input = i == 0 ? seed : Mutate(random, seed);
            var chunk = 1 + random.Next(64);
            try
            {
                await RunSessionAsync(input, chunk);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} (chunk {chunk}) threw {e}\ninput (base64): {Convert.ToBase64String(input)}");
            }
        }
    }

    [Fact]
    public async Task The_unmutated_transcript_completes_the_whole_session()
    {
        var outcome = await RunSessionAsync(Encoding.UTF8.GetBytes(Transcript), 7);

        Assert.True(outcome.Errors == 0, string.Join("\n", Messages));
        Assert.Equal(14, outcome.Completed);
    }

    /// <summary>Runs the session; returns how many operations completed and how many failed with an ImapException.</summary>
    private static async Task<(int Completed, int Errors)> RunSessionAsync(byte[] input, int chunk)
    {
        Messages.Clear();
        var stream = new TranscriptStream(input, chunk);
        ImapClient client;
        try
        {
            client = await ImapClient.ConnectAsync(stream, new ImapClientOptions { Host = "fuzz", Tls = MailTlsMode.None, Timeout = TimeSpan.FromSeconds(5) });
        }
        catch (ImapException)
        {
            return (0, 1);
        }

        await using var _ = client;
        using var done = new CancellationTokenSource();
        client.MailboxChanged += (_, e) =>
        {
            if (e.Kind == ImapMailboxEventKind.Exists && e.Count == 5)
            {
                done.Cancel();
            }
        };

        Func<Task>[] steps =
        [
            () => client.LoginAsync("user", "pass"),
            () => client.GetNamespacesAsync(),
            () => client.ListAsync(withStatus: true),
            () => client.SelectAsync("INBOX"),
            () => client.UidFetchAsync([1, 2], ImapFetchItems.Summary | ImapFetchItems.BodyStructure | ImapFetchItems.ModSeq),
            () => client.UidFetchBodyAsync(1, "", new MemoryStream()),
            () => client.UidFetchBodyAsync(1, "1", new MemoryStream(), 0, 3),
            () => client.UidSearchAsync(ImapSearchQuery.Text("x")),
            () => client.UidStoreFlagsAsync([1, 3], ImapStoreAction.Add, [ImapFlags.Seen], unchangedSince: 5),
            () => client.UidMoveAsync([1], "Trash"),
            () => client.AppendAsync("Sent", new MemoryStream("Subject: y\r\n\r\nz\r\n"u8.ToArray())),
            async () =>
            {
                if (client.Selected is null)
                {
                    throw new ImapConnectionException("not selected");
                }

                await client.IdleAsync(done.Token);
            },
            () => client.LogoutAsync(),
        ];

        int completed = 1, errors = 0;
        foreach (var step in steps)
        {
            try
            {
                await step().WaitAsync(TimeSpan.FromSeconds(10));
                completed++;
            }
            catch (ImapException e)
            {
                errors++;
                Messages.Add(e.Message);
            }
        }

        return (completed, errors);
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        var edits = 1 + random.Next(6);
        for (var e = 0; e < edits && data.Count > 0; e++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(5))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, 1 + random.Next(20)));
                    break;
                case 3:
                    var length = Math.Min(data.Count - at, 1 + random.Next(40));
                    data.InsertRange(random.Next(data.Count), data.GetRange(at, length));
                    break;
                default:
                    data.RemoveRange(at, data.Count - at);
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Serves a fixed transcript in small chunks and swallows what the client writes.</summary>
    private sealed class TranscriptStream(byte[] transcript, int chunk) : Stream
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

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, chunk), transcript.Length - _position);
            Array.Copy(transcript, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var n = Math.Min(Math.Min(buffer.Length, chunk), transcript.Length - _position);
            transcript.AsSpan(_position, n).CopyTo(buffer.Span);
            _position += n;
            return ValueTask.FromResult(n);
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
