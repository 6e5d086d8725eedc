using System.Text;
using Suite.Mail.Protocols.Mime;
using static Suite.Mail.Protocols.Tests.Mime.MimeTestHelpers;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>
/// Feeds 10,000 deterministically mutated messages (byte flips, insertions of MIME-significant tokens, deletions,
/// duplications, truncation, splicing) to the parser and walks the whole object model of each, decoding every part.
/// No exception may escape; a failure names the iteration and carries the input for reproduction.
/// </summary>
public sealed class ParserFuzzTests
{
    private const int Iterations = 10_000;

    private static readonly string[] Tokens =
    [
        "\r\n", "\n", "\r", "--", "--outer", "--inner--", "--_000_AM0PR09MB1234ABCD_", ":", ";", "=", "\"", "(", ")", "<", ">", ",", "@",
        "=?utf-8?B?", "=?iso-8859-1?Q?", "?=", "*0*=", "*1=", "''", "%", "%C3", "\0", "\u00ff", "\t", " ", "boundary=", "charset=",
        "Content-Type: multipart/mixed; boundary=x\r\n", "Content-Type: message/rfc822\r\n", "Content-Transfer-Encoding: base64\r\n",
        "Content-Transfer-Encoding: quoted-printable\r\n", "\r\n--x\r\n", "\r\n\r\n", "=\r\n", "=4", "(((", "\\",
    ];

    private static async Task<List<byte[]>> SeedsAsync()
    {
        var builder = new MimeMessageBuilder
        {
            From = new MailboxAddress("Zoé", "zoe@example.org"),
            Subject = "Réunion — ordre du jour",
            TextBody = "Texte é",
            HtmlBody = "<p>HTML</p><img src=\"cid:img@x\">",
            Date = DateTimeOffset.UnixEpoch,
        };
        builder.To.Add(new MailboxAddress("Dupont, Marie", "marie@example.org"));
        builder.AddInlineImage("i.png", "image/png", new byte[] { 1, 2, 3 }, "img@x");
        builder.AddAttachment("pièce jointe.pdf", "application/pdf", new byte[300]);

        return
        [
            Crlf(RealWorldFixtureTests.Outlook),
            Crlf(RealWorldFixtureTests.Thunderbird),
            Crlf(RealWorldFixtureTests.AppleMail),
            await BuildAsync(builder),
            Crlf("From: \"a\" <b@c>, (comment) d@e, group: f@g;\nDate: 1 Jan 2024 00:00 +0000\nReferences: <1@x> <2@x>\nContent-Type: multipart/digest; boundary=\"d\"\n\n--d\n\nSubject: =?utf-8?Q?x?=\n\ninner\n--d--\n"),
        ];
    }

    [Fact]
    public async Task MutatedMessagesNeverThrow()
    {
        var seeds = await SeedsAsync();
        var random = new Random(20_251_122);
        var options = new MimeParserOptions { SpoolThreshold = 4096, MaxNestingDepth = 16 };
        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(random, seeds);
            var seekable = (i & 1) == 0;
            try
            {
                Stream source = seekable ? new MemoryStream(input) : new NonSeekableStream(new MemoryStream(input), 1 + random.Next(4096));
                using var message = await MimeParser.ParseAsync(source, options);
                await ExerciseAsync(message, depth: 0);
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} (seekable={seekable}) threw {e}\ninput (base64): {Convert.ToBase64String(input)}");
            }
        }
    }

    private static async Task ExerciseAsync(MimeMessage message, int depth)
    {
        _ = message.Subject;
        _ = message.Date;
        _ = message.MessageId;
        _ = message.InReplyTo;
        _ = message.References.Count;
        foreach (var list in new[] { message.From, message.To, message.Cc, message.Bcc, message.ReplyTo, message.Sender })
        {
            foreach (var mailbox in list.Mailboxes)
            {
                _ = mailbox.ToString() + mailbox.Domain + mailbox.LocalPart;
            }
        }

        foreach (var header in message.Headers)
        {
            _ = header.Value;
        }

        _ = message.TextBody;
        _ = message.HtmlBody;
        _ = message.Attachments.Count();
        _ = message.FindByContentId("cid:img@x");
        foreach (var entity in message.Entities)
        {
            _ = entity.ContentType.Charset;
            _ = entity.ContentDisposition?.FileName;
            _ = entity.ContentDisposition?.Size;
            _ = entity.ContentId;
            _ = entity.ContentTransferEncoding;
            switch (entity)
            {
                case MimePart part:
                    _ = part.FileName;
                    _ = part.IsAttachment;
                    _ = await part.GetTextAsync(64 * 1024);
                    await using (var decoded = part.OpenDecodedRead())
                    {
                        await decoded.CopyToAsync(Stream.Null);
                    }

                    break;
                case Multipart multipart:
                    await using (var preamble = multipart.OpenPreambleRead())
                    {
                        await preamble.CopyToAsync(Stream.Null);
                    }

                    await using (var epilogue = multipart.OpenEpilogueRead())
                    {
                        await epilogue.CopyToAsync(Stream.Null);
                    }

                    break;
                case MessagePart embedded when depth < 4:
                    _ = embedded.FileName;
                    await ExerciseAsync(embedded.Message, depth + 1);
                    break;
            }
        }
    }

    private static byte[] Mutate(Random random, List<byte[]> seeds)
    {
        var data = new List<byte>(seeds[random.Next(seeds.Count)]);
        var mutations = 1 + random.Next(8);
        for (var m = 0; m < mutations; m++)
        {
            var at = data.Count == 0 ? 0 : random.Next(data.Count);
            switch (random.Next(7))
            {
                case 0:
                    if (data.Count > 0)
                    {
                        data[at] = (byte)random.Next(256);
                    }

                    break;
                case 1:
                    data.InsertRange(at, Encoding.Latin1.GetBytes(Tokens[random.Next(Tokens.Length)]));
                    break;
                case 2:
                    data.RemoveRange(at, Math.Min(data.Count - at, random.Next(64)));
                    break;
                case 3:
                    var length = Math.Min(data.Count - at, random.Next(256));
                    data.InsertRange(random.Next(data.Count + 1), data.GetRange(at, length));
                    break;
                case 4:
                    data.RemoveRange(at, data.Count - at); // truncate
                    break;
                case 5:
                    var other = seeds[random.Next(seeds.Count)];
                    var from = random.Next(other.Length);
                    data.InsertRange(at, other.Skip(from).Take(random.Next(512)));
                    break;
                default:
                    for (var k = 0; k < 4 && at + k < data.Count; k++)
                    {
                        data[at + k] ^= (byte)(1 << random.Next(8));
                    }

                    break;
            }
        }

        return [.. data];
    }
}
