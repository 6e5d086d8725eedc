using System.Text;
using Suite.Mail.Protocols.Mime;
using static Suite.Mail.Protocols.Tests.Mime.MimeTestHelpers;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>Compose with <see cref="MimeMessageBuilder"/>, parse back with <see cref="MimeParser"/>, for every shape the builder makes.</summary>
public sealed class BuilderRoundTripTests
{
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    private static MimeMessageBuilder NewBuilder() => new()
    {
        From = new MailboxAddress("Jérôme Martin", "jerome.martin@ministere.gouv.fr"),
        Subject = "Test",
        Date = new DateTimeOffset(2024, 3, 6, 8, 0, 0, TimeSpan.FromHours(1)),
    };

    private static async Task<(MimeMessage Message, byte[] Bytes)> RoundTripAsync(MimeMessageBuilder builder)
    {
        var bytes = await BuildAsync(builder);
        AssertWellFormed(bytes);
        var message = await ParseAsync(bytes, seekable: false);
        Assert.Empty(message.Warnings);
        return (message, bytes);
    }

    /// <summary>CRLF only, header lines folded at 78 (unless a single unbreakable word), no line over 998.</summary>
    private static void AssertWellFormed(byte[] bytes)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                Assert.True(i > 0 && bytes[i - 1] == '\r', $"bare LF at {i}");
            }

            if (bytes[i] == '\r')
            {
                Assert.True(i + 1 < bytes.Length && bytes[i + 1] == '\n', $"bare CR at {i}");
            }
        }

        var text = Encoding.UTF8.GetString(bytes);
        var lines = text.Split("\r\n");
        var inHeaders = true;
        foreach (var line in lines)
        {
            Assert.True(line.Length <= 998, "line over 998 characters");
            if (line.Length == 0)
            {
                inHeaders = false;
            }

            if (line.StartsWith("--=_", StringComparison.Ordinal))
            {
                inHeaders = true; // a new entity's header block follows a delimiter
            }

            if (inHeaders && line.Length > 78)
            {
                Assert.DoesNotContain(' ', line.TrimStart().Split(':', 2)[^1].Trim());
            }
        }
    }

    [Fact]
    public async Task AsciiTextOnlyIsSevenBit()
    {
        var builder = NewBuilder();
        builder.To.Add(new MailboxAddress(null, "sophie.durand@ministere.gouv.fr"));
        builder.TextBody = "Hello,\nplain ASCII text.\n";
        var (message, bytes) = await RoundTripAsync(builder);
        using (message)
        {
            var raw = Encoding.ASCII.GetString(bytes);
            Assert.Contains("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n", raw, StringComparison.Ordinal);
            Assert.Contains("MIME-Version: 1.0\r\n", raw, StringComparison.Ordinal);
            Assert.Contains("Date: Wed, 06 Mar 2024 08:00:00 +0100\r\n", raw, StringComparison.Ordinal);
            var part = Part(message.Body);
            Assert.Equal("Hello,\r\nplain ASCII text.\r\n", await part.GetTextAsync());
            Assert.Equal("Jérôme Martin", message.From.Mailboxes.Single().Name);
            Assert.Equal("sophie.durand@ministere.gouv.fr", message.To.Mailboxes.Single().Address);
            Assert.Equal(builder.Date, message.Date);
            Assert.Equal(builder.MessageId, message.MessageId);
            Assert.EndsWith("@ministere.gouv.fr", message.MessageId, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("Bonjour à tous, la réunion de service est déplacée à jeudi prochain dans la grande salle.", "quoted-printable")]
    [InlineData("Здравствуйте, совещание перенесено на четверг.", "base64")]
    [InlineData("会議は木曜日に延期されました。", "base64")]
    public async Task TransferEncodingIsChosenPerContent(string text, string expectedEncoding)
    {
        var builder = NewBuilder();
        builder.TextBody = text;
        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            var part = Part(message.Body);
            Assert.Equal(expectedEncoding, part.ContentTransferEncoding);
            Assert.Equal(text + "\r\n", await part.GetTextAsync());
        }
    }

    [Fact]
    public async Task LongAsciiLinesAreQuotedPrintable()
    {
        var longLine = string.Concat(Enumerable.Repeat("0123456789 ", 200)) + "end   ";
        var builder = NewBuilder();
        builder.TextBody = longLine + "\n=equals= and trailing tab\t\nlast";
        var (message, bytes) = await RoundTripAsync(builder);
        using (message)
        {
            Assert.Equal("quoted-printable", Part(message.Body).ContentTransferEncoding);
            Assert.All(Encoding.ASCII.GetString(bytes).Split("\r\n"), l => Assert.True(l.Length <= 78, l));
            Assert.Equal(longLine + "\r\n=equals= and trailing tab\t\r\nlast\r\n", await Part(message.Body).GetTextAsync());
        }
    }

    [Fact]
    public async Task HtmlOnly()
    {
        var builder = NewBuilder();
        builder.HtmlBody = "<p>Bonjour <b>à tous</b></p>";
        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            Assert.Equal("text/html", message.Body.ContentType.MimeType);
            Assert.Null(message.TextBody);
            Assert.Equal("<p>Bonjour <b>à tous</b></p>\r\n", await (message.HtmlBody ?? throw new InvalidOperationException()).GetTextAsync());
        }
    }

    [Fact]
    public async Task TextAndHtmlMakeMultipartAlternative()
    {
        var builder = NewBuilder();
        builder.TextBody = "Texte brut é";
        builder.HtmlBody = "<p>Texte <i>riche</i> é</p>";
        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            var alternative = Multi(message.Body);
            Assert.Equal("multipart/alternative", alternative.ContentType.MimeType);
            Assert.Equal(["text/plain", "text/html"], alternative.Parts.Select(p => p.ContentType.MimeType));
            Assert.Equal("Texte brut é\r\n", await (message.TextBody ?? throw new InvalidOperationException()).GetTextAsync());
            Assert.Equal("<p>Texte <i>riche</i> é</p>\r\n", await (message.HtmlBody ?? throw new InvalidOperationException()).GetTextAsync());
            Assert.Empty(message.Attachments);
        }
    }

    [Fact]
    public async Task HtmlWithInlineImageMakesMultipartRelated()
    {
        var builder = NewBuilder();
        var cid = builder.AddInlineImage("logo.png", "image/png", Png);
        builder.HtmlBody = $"<img src=\"cid:{cid}\">";
        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            var related = Multi(message.Body);
            Assert.Equal("multipart/related", related.ContentType.MimeType);
            Assert.Equal("text/html", related.ContentType.Parameters["type"]);
            Assert.Equal(["text/html", "image/png"], related.Parts.Select(p => p.ContentType.MimeType));
            var image = message.FindByContentId("cid:" + cid);
            Assert.NotNull(image);
            Assert.True(image.IsInlineResource);
            Assert.Equal("inline", image.ContentDisposition?.Disposition);
            Assert.Equal(Png, await ReadAllAsync(image.OpenDecodedRead()));
            Assert.Empty(message.Attachments);
        }
    }

    [Fact]
    public async Task EverythingTogether()
    {
        var builder = NewBuilder();
        builder.To.Add(new MailboxAddress("Sophie Durand", "sophie.durand@ministere.gouv.fr"));
        builder.Cc.Add(new MailboxAddress("Dupont, Marie", "marie.dupont@interieur.gouv.fr"));
        builder.TextBody = "Voir pièces jointes.";
        var cid = builder.AddInlineImage("logo.png", "image/png", Png);
        builder.HtmlBody = $"<p>Voir pièces jointes.</p><img src=\"cid:{cid}\">";
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4 fake");
        builder.AddAttachment("Compte rendu réunion n°3 — version définitive.pdf", "application/pdf", pdf);
        builder.AddAttachment("data.csv", "text/csv; charset=utf-8", () => new MemoryStream(Encoding.UTF8.GetBytes("a;b\n1;2\n")));

        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            var mixed = Multi(message.Body);
            Assert.Equal("multipart/mixed", mixed.ContentType.MimeType);
            Assert.Equal(["multipart/alternative", "application/pdf", "text/csv"], mixed.Parts.Select(p => p.ContentType.MimeType));
            var alternative = Multi(mixed.Parts[0]);
            Assert.Equal(["text/plain", "multipart/related"], alternative.Parts.Select(p => p.ContentType.MimeType));
            Assert.Equal(["text/html", "image/png"], Multi(alternative.Parts[1]).Parts.Select(p => p.ContentType.MimeType));

            Assert.Equal("Voir pièces jointes.\r\n", await (message.TextBody ?? throw new InvalidOperationException()).GetTextAsync());
            Assert.Contains($"cid:{cid}", await (message.HtmlBody ?? throw new InvalidOperationException()).GetTextAsync(), StringComparison.Ordinal);

            var attachments = message.Attachments.Cast<MimePart>().ToList();
            Assert.Equal(["Compte rendu réunion n°3 — version définitive.pdf", "data.csv"], attachments.Select(a => a.FileName));
            Assert.Equal("Compte rendu réunion n°3 — version définitive.pdf", attachments[0].ContentType.Name);
            Assert.Equal(pdf, await ReadAllAsync(attachments[0].OpenDecodedRead()));
            Assert.Equal("a;b\n1;2\n", Encoding.UTF8.GetString(await ReadAllAsync(attachments[1].OpenDecodedRead())));
            Assert.Equal("Dupont, Marie", message.Cc.Mailboxes.Single().Name);
        }
    }

    [Fact]
    public async Task AttachmentsWithoutBodyAndTextWithAttachment()
    {
        var onlyFiles = NewBuilder();
        onlyFiles.AddAttachment("a.bin", "application/octet-stream", new byte[] { 1, 2, 3 });
        var (message, _) = await RoundTripAsync(onlyFiles);
        using (message)
        {
            var mixed = Multi(message.Body);
            Assert.Equal(["application/octet-stream"], mixed.Parts.Select(p => p.ContentType.MimeType));
            Assert.Null(message.TextBody);
        }

        var textAndFile = NewBuilder();
        textAndFile.TextBody = "see file";
        var cid = textAndFile.AddInlineImage("orphan.png", "image/png", Png); // no HTML: sent as an inline attachment
        textAndFile.AddAttachment("b.bin", "application/octet-stream", new byte[] { 4 });
        var (second, _) = await RoundTripAsync(textAndFile);
        using (second)
        {
            Assert.Equal(["text/plain", "image/png", "application/octet-stream"], Multi(second.Body).Parts.Select(p => p.ContentType.MimeType));
            Assert.Equal(2, second.Attachments.Count());
            Assert.Equal(cid, Part(Multi(second.Body).Parts[1]).ContentId);
        }
    }

    [Fact]
    public async Task EmptyMessageIsAnEmptyTextPart()
    {
        var (message, _) = await RoundTripAsync(NewBuilder());
        using (message)
        {
            Assert.Equal("text/plain", message.Body.ContentType.MimeType);
            Assert.Equal(string.Empty, await Part(message.Body).GetTextAsync());
        }
    }

    [Fact]
    public async Task BinaryAttachmentsSurviveExactly()
    {
        var allBytes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var random = new byte[1_000_003];
        new Random(42).NextBytes(random);
        var builder = NewBuilder();
        builder.AddAttachment("all.bin", "application/octet-stream", allBytes);
        builder.AddAttachment("random.bin", "application/octet-stream", () => new NonSeekableStream(new MemoryStream(random), maxChunk: 1000));
        var (message, _) = await RoundTripAsync(builder);
        using (message)
        {
            var parts = message.Attachments.Cast<MimePart>().ToList();
            Assert.Equal(allBytes, await ReadAllAsync(parts[0].OpenDecodedRead()));
            Assert.Equal(random, await ReadAllAsync(parts[1].OpenDecodedRead()));
        }
    }

    [Fact]
    public async Task NonAsciiHeadersAreEncodedFoldedAndDecodeBack()
    {
        var subject = "Réunion interministérielle sur la souveraineté numérique : ordre du jour, pièces et « compte rendu » — 日本語 😀";
        var builder = NewBuilder();
        builder.Subject = subject;
        builder.To.Add(new MailboxAddress("Zoé Ünal-Łukasiewicz, cheffe de bureau", "zoe@ministere.gouv.fr"));
        builder.To.Add(new MailboxAddress("O'Brien \"Bob\" (IT)", "bob@example.org"));
        builder.To.Add(new MailboxAddress("Plain Name", "plain@example.org"));
        builder.To.Add(new MailboxAddress(null, "info@bücher.example"));
        builder.AddHeader("X-Note", "Remarque : très important");

        var (message, bytes) = await RoundTripAsync(builder);
        using (message)
        {
            var raw = Encoding.UTF8.GetString(bytes);
            var headerBlock = raw[..raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
            Assert.True(headerBlock.All(c => c < 128), "headers must be ASCII");
            Assert.Contains("=?utf-8?", headerBlock, StringComparison.Ordinal);
            Assert.Contains("xn--bcher-kva.example", headerBlock, StringComparison.Ordinal);
            Assert.Equal(subject, message.Subject);
            Assert.Equal(
                ["Zoé Ünal-Łukasiewicz, cheffe de bureau", "O'Brien \"Bob\" (IT)", "Plain Name", null],
                message.To.Mailboxes.Select(m => m.Name));
            Assert.Equal("info@xn--bcher-kva.example", message.To.Mailboxes.Last().Address);
            Assert.Equal("Remarque : très important", message.Headers["X-Note"]);
        }
    }

    [Fact]
    public async Task ReplyHeadersFollowTheThread()
    {
        using var original = await ParseAsync(RealWorldFixtureTests.Thunderbird);
        var reply = NewBuilder();
        reply.Subject = MimeMessageBuilder.ReplySubject(original.Subject);
        reply.SetReplyHeaders(original);
        reply.TextBody = "Merci.";
        var (message, bytes) = await RoundTripAsync(reply);
        using (message)
        {
            Assert.Equal("Re: Ordre du jour de la réunion", message.Subject);
            Assert.Equal("5b1e2c3d-aaaa-bbbb-cccc-0123456789ab@ministere.gouv.fr", message.InReplyTo);
            Assert.Equal(
                ["AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com", "5b1e2c3d-aaaa-bbbb-cccc-0123456789ab@ministere.gouv.fr"],
                message.References);
            Assert.Contains("\r\nReferences: <AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com>\r\n <5b1e2c3d", Encoding.ASCII.GetString(bytes), StringComparison.Ordinal);
        }

        Assert.Equal("Re: x", MimeMessageBuilder.ReplySubject("x"));
        Assert.Equal("RE: x", MimeMessageBuilder.ReplySubject("RE: x"));
    }

    [Fact]
    public async Task WritingTwiceGivesTheSameMessage()
    {
        var builder = new MimeMessageBuilder { From = new MailboxAddress(null, "a@example.org"), TextBody = "x", HtmlBody = "<p>x</p>" };
        builder.AddAttachment("f.txt", "text/plain", new byte[] { 65 });
        var first = await BuildAsync(builder);
        var second = await BuildAsync(builder);
        Assert.Equal(first, second);
        Assert.NotNull(builder.MessageId);
        Assert.NotNull(builder.Date);
    }

    [Fact]
    public async Task BccOnlyWhenAsked()
    {
        var builder = NewBuilder();
        builder.Bcc.Add(new MailboxAddress(null, "hidden@example.org"));
        Assert.DoesNotContain("hidden@example.org", Encoding.ASCII.GetString(await BuildAsync(builder)), StringComparison.Ordinal);
        builder.IncludeBcc = true;
        using var draft = await ParseAsync(await BuildAsync(builder));
        Assert.Equal("hidden@example.org", draft.Bcc.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task HeaderInjectionIsImpossible()
    {
        var builder = NewBuilder();
        builder.Subject = "hello\r\nBcc: victim@example.org";
        builder.To.Add(new MailboxAddress("Name\r\nX-Injected: yes", "to@example.org"));
        builder.AddHeader("X-Custom", "a\r\nX-Injected: also");
        using (var message = await ParseAsync(await BuildAsync(builder)))
        {
            Assert.Equal("hello Bcc: victim@example.org", message.Subject);
            Assert.Empty(message.Bcc);
            Assert.Null(message.Headers["X-Injected"]);
            Assert.Equal("Name X-Injected: yes", message.To.Mailboxes.Single().Name);
        }

        var bad = NewBuilder();
        bad.To.Add(new MailboxAddress(null, "x@example.org\r\nBcc: y@example.org"));
        await Assert.ThrowsAsync<ArgumentException>(() => BuildAsync(bad));
        Assert.Throws<ArgumentException>(() => NewBuilder().AddHeader("Bad Name", "v"));
        Assert.Throws<ArgumentException>(() => NewBuilder().AddHeader("X:Y", "v"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(new MimeMessageBuilder()));
    }
}
