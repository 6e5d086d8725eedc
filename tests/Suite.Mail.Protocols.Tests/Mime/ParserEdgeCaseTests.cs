using System.Text;
using Suite.Mail.Protocols.Mime;
using static Suite.Mail.Protocols.Tests.Mime.MimeTestHelpers;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>Structure rules of RFC 2046 §5.1 and the parser's handling of unusual but legal or common input.</summary>
public sealed class ParserEdgeCaseTests
{
    private const string Nested = """
        From: a@example.org
        Content-Type: multipart/mixed; boundary="outer"

        preamble line 1
        preamble line 2
        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain

        plain
        --inner
        Content-Type: text/html

        <b>html</b>
        --inner--
        inner epilogue
        --outer
        Content-Type: application/octet-stream
        Content-Transfer-Encoding: base64

        AAECAw==
        --outer--
        outer epilogue
        """;

    [Fact]
    public async Task PreambleEpilogueAndNesting()
    {
        using var message = await ParseAsync(Nested);
        Assert.Empty(message.Warnings);
        var outer = Multi(message.Body);
        Assert.Equal("preamble line 1\r\npreamble line 2", await ReadAsciiAsync(outer.OpenPreambleRead()));
        Assert.Equal("outer epilogue", await ReadAsciiAsync(outer.OpenEpilogueRead()));
        var inner = Multi(outer.Parts[0]);
        Assert.Equal("inner epilogue", await ReadAsciiAsync(inner.OpenEpilogueRead()));
        Assert.Same(outer, inner.Parent);
        Assert.Equal("plain", await Part(inner.Parts[0]).GetTextAsync());
        Assert.Equal("<b>html</b>", await Part(inner.Parts[1]).GetTextAsync());
        Assert.Equal(new byte[] { 0, 1, 2, 3 }, await ReadAllAsync(Part(outer.Parts[1]).OpenDecodedRead()));
        Assert.Equal(5, message.Entities.Count()); // mixed, alternative, plain, html, octet-stream
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task ChunkedNonSeekableSourcesGiveTheSameStructure(int chunk)
    {
        var bytes = Crlf(Nested);
        using var reference = await ParseAsync(bytes);
        using var chunked = await MimeParser.ParseAsync(new NonSeekableStream(new MemoryStream(bytes), chunk));
        Assert.Equal(Describe(reference), Describe(chunked));
        Assert.Equal(bytes, await ReadAllAsync(chunked.OpenRawRead()));
    }

    private static List<string> Describe(MimeMessage message) =>
        [.. message.Entities.Select(e => $"{e.ContentType.MimeType} {e.Offset} {e.BodyOffset} {e.EndOffset}")];

    [Fact]
    public async Task BareLfLineEndings()
    {
        var bytes = Encoding.ASCII.GetBytes(Nested.ReplaceLineEndings("\n"));
        using var message = await ParseAsync(bytes);
        Assert.Empty(message.Warnings);
        var outer = Multi(message.Body);
        Assert.Equal("plain", await Part(Multi(outer.Parts[0]).Parts[0]).GetTextAsync());
        Assert.Equal("preamble line 1\npreamble line 2", await ReadAsciiAsync(outer.OpenPreambleRead()));
    }

    [Fact]
    public async Task DelimiterLookalikesAndTrailingWhitespace()
    {
        using var message = await ParseAsync("""
            Content-Type: multipart/mixed; boundary=abc

            --abc   
            Content-Type: text/plain

            --abcdef is not a delimiter
            --abc-- neither is this
            -- abc nor this
            --abc
            Content-Type: text/plain

            --abc--	
            """);
        var parts = Multi(message.Body).Parts;
        Assert.Equal(2, parts.Count);
        Assert.Equal("--abcdef is not a delimiter\r\n--abc-- neither is this\r\n-- abc nor this", await Part(parts[0]).GetTextAsync());
        Assert.Equal(string.Empty, await Part(parts[1]).GetTextAsync());
        Assert.Empty(message.Warnings);
    }

    [Fact]
    public async Task PartsWithoutHeadersOrWithoutBlankLine()
    {
        using var message = await ParseAsync("""
            Content-Type: multipart/mixed; boundary=b

            --b

            no headers: default text/plain
            --b
            Content-Type: text/html
            --b
            body starts at the first line that is not a header
            second line
            --b--
            """);
        var parts = Multi(message.Body).Parts.Select(Part).ToList();
        Assert.Equal(3, parts.Count);
        Assert.Equal("text/plain", parts[0].ContentType.MimeType);
        Assert.Equal("no headers: default text/plain", await parts[0].GetTextAsync());
        Assert.Equal("text/html", parts[1].ContentType.MimeType);
        Assert.Equal(0, parts[1].BodyLength);
        Assert.Equal("body starts at the first line that is not a header\r\nsecond line", await parts[2].GetTextAsync());
        Assert.Contains(message.Warnings, w => w.Kind == MimeWarningKind.InvalidHeaderLine);
    }

    [Fact]
    public async Task DigestChildrenDefaultToMessageRfc822()
    {
        using var message = await ParseAsync("""
            Content-Type: multipart/digest; boundary=d

            --d

            Subject: first

            one
            --d

            Subject: second

            two
            --d--
            """);
        var messages = Multi(message.Body).Parts.Select(p => Assert.IsType<MessagePart>(p).Message).ToList();
        Assert.Equal(["first", "second"], messages.Select(m => m.Subject));
        Assert.Equal("two", await Part(messages[1].Body).GetTextAsync());
    }

    [Fact]
    public async Task MultipartWithoutBoundaryIsALeaf()
    {
        using var message = await ParseAsync("Content-Type: multipart/mixed\n\n--x\nhello\n--x--");
        var part = Part(message.Body);
        Assert.Equal("--x\r\nhello\r\n--x--", await ReadAsciiAsync(part.OpenEncodedRead()));
        Assert.Equal(MimeWarningKind.MissingBoundaryParameter, Assert.Single(message.Warnings).Kind);
    }

    [Fact]
    public async Task MboxFromLineAndHeaderFolding()
    {
        using var message = await ParseAsync("""
            From MAILER-DAEMON Fri Jul  8 12:08:34 2011
            Subject: folded
              over	three
             lines
            X-Empty:
            X-Spaces :   padded value   

            body
            """);
        Assert.Equal("folded  over\tthree lines", message.Subject);
        Assert.Equal(string.Empty, message.Headers["X-Empty"]);
        Assert.Equal("padded value", message.Headers["x-spaces"]);
        Assert.Equal(3, message.Headers.Count);
        Assert.Equal("body", await Part(message.Body).GetTextAsync());
    }

    [Fact]
    public async Task EmptyAndHeaderOnlyInputs()
    {
        using (var empty = await ParseAsync(Array.Empty<byte>()))
        {
            Assert.Empty(empty.Headers);
            Assert.Equal(string.Empty, await Part(empty.Body).GetTextAsync());
        }

        using var headersOnly = await ParseAsync("Subject: only headers");
        Assert.Equal("only headers", headersOnly.Subject);
        Assert.Equal(0, headersOnly.Body.BodyLength);
    }

    [Fact]
    public async Task QuotedPrintableSoftBreaksAndOddEscapes()
    {
        using var message = await ParseAsync(
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: Quoted-Printable\n\n" +
            "soft=\nbreak, soft with spaces=   \nafter, lower =c3=a9, bad =ZZ, lone = sign, 1+1=3D2, end=");
        Assert.Equal("softbreak, soft with spacesafter, lower é, bad =ZZ, lone = sign, 1+1=2, end=", await Part(message.Body).GetTextAsync());
    }

    [Fact]
    public async Task BinaryContentWithNulAndCrBytes()
    {
        var body = new byte[] { 0, 13, 10, 45, 45, 13, 0, 255, 10, 13 };
        var head = Encoding.ASCII.GetBytes("Content-Type: multipart/mixed; boundary=q\r\n\r\n--q\r\nContent-Transfer-Encoding: binary\r\n\r\n");
        var tail = Encoding.ASCII.GetBytes("\r\n--q--\r\n");
        using var message = await ParseAsync([.. head, .. body, .. tail]);
        Assert.Equal(body, await ReadAllAsync(Part(Multi(message.Body).Parts[0]).OpenDecodedRead()));
    }

    [Fact]
    public async Task TooManyPartsAreSkippedWithAWarning()
    {
        var sb = new StringBuilder("Content-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (var i = 0; i < 50; i++)
        {
            sb.Append($"--p\r\n\r\npart {i}\r\n");
        }

        sb.Append("--p--\r\n");
        using var message = await ParseAsync(Encoding.ASCII.GetBytes(sb.ToString()), options: new MimeParserOptions { MaxParts = 10 });
        Assert.Equal(9, Multi(message.Body).Parts.Count);
        Assert.Equal(MimeWarningKind.TooManyParts, Assert.Single(message.Warnings).Kind);
    }

    [Fact]
    public async Task Base64EncodedRfc822IsALeafPart()
    {
        var inner = Convert.ToBase64String(Encoding.ASCII.GetBytes("Subject: inner\r\n\r\nhello"));
        using var message = await ParseAsync($"Content-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n{inner}");
        var part = Part(message.Body);
        using var parsedInner = await MimeParser.ParseAsync(part.OpenDecodedRead());
        Assert.Equal("inner", parsedInner.Subject);
    }

    [Fact]
    public async Task SeekableSourceIsReadInPlaceFromItsStartingPosition()
    {
        var prefix = Encoding.ASCII.GetBytes("JUNK BEFORE THE MESSAGE");
        var bytes = Crlf("Subject: offset\n\nbody text");
        var stream = new MemoryStream([.. prefix, .. bytes]) { Position = prefix.Length };
        using var message = await MimeParser.ParseAsync(stream);
        Assert.IsType<SeekableSourceStore>(message.Body.Store);
        Assert.Equal("body text", await Part(message.Body).GetTextAsync());
        Assert.Equal(bytes, await ReadAllAsync(message.OpenRawRead()));
    }

    [Fact]
    public async Task ParseFileOwnsTheFileUntilDisposed()
    {
        var path = Path.Combine(Path.GetTempPath(), "suite-mime-test-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllBytesAsync(path, Crlf(RealWorldFixtureTests.Thunderbird));
        try
        {
            MimePart attachment;
            using (var message = await MimeParser.ParseFileAsync(path))
            {
                attachment = Assert.IsType<MimePart>(message.Attachments.Single());
                Assert.Equal("Remarques réunion.pdf", attachment.FileName);
                Assert.NotEmpty(await ReadAllAsync(attachment.OpenDecodedRead()));
            }

            await Assert.ThrowsAsync<ObjectDisposedException>(() => ReadAllAsync(attachment.OpenDecodedRead()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CancellationIsHonoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            MimeParser.ParseAsync(new NonSeekableStream(new MemoryStream(Crlf(Nested))), cancellationToken: cts.Token));
    }
}
