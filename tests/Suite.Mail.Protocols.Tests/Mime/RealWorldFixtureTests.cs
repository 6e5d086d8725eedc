using System.Text;
using Suite.Mail.Protocols.Mime;
using static Suite.Mail.Protocols.Tests.Mime.MimeTestHelpers;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>
/// Messages shaped like what Outlook/Exchange, Thunderbird and Apple Mail send, and broken ones seen in the wild.
/// Each is parsed both from a seekable stream (read in place) and a non-seekable one (spooled).
/// </summary>
public sealed class RealWorldFixtureTests
{
    internal const string Outlook = """
        Received: from EXCH01.ministere.local (10.0.0.5) by EXCH02.ministere.local
         (10.0.0.6) with Microsoft SMTP Server (TLS) id 15.1.2507.6; Tue, 14 Nov 2023
         10:15:22 +0100
        From: "Durand, Sophie" <sophie.durand@ministere.gouv.fr>
        To: =?iso-8859-1?Q?J=E9r=F4me_Martin?= <jerome.martin@ministere.gouv.fr>
        Subject: =?iso-8859-1?Q?Ordre_du_jour_de_la_r=E9union?=
        Thread-Topic: Ordre du jour
        Thread-Index: AQHZFvD2Tn3a1lYk0Ea9gP3cW0Zx1w==
        Date: Tue, 14 Nov 2023 09:15:20 +0000
        Message-ID: <AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com>
        Accept-Language: fr-FR, en-US
        Content-Language: fr-FR
        X-MS-Has-Attach: yes
        X-MS-TNEF-Correlator:
        Content-Type: multipart/mixed;
        	boundary="_004_AM0PR09MB1234ABCD_"
        MIME-Version: 1.0

        --_004_AM0PR09MB1234ABCD_
        Content-Type: multipart/alternative;
        	boundary="_000_AM0PR09MB1234ABCD_"

        --_000_AM0PR09MB1234ABCD_
        Content-Type: text/plain; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        Bonjour J=E9r=F4me,

        Voici l'ordre du jour de la r=E9union de jeudi. Merci de le relire avant la=
         s=E9ance.

        Cordialement,
        Sophie

        --_000_AM0PR09MB1234ABCD_
        Content-Type: text/html; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        <html><head><meta http-equiv=3D"Content-Type" content=3D"text/html; charset=
        =3Diso-8859-1"></head><body><p>Bonjour J=E9r=F4me,</p></body></html>

        --_000_AM0PR09MB1234ABCD_--

        --_004_AM0PR09MB1234ABCD_
        Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;
        	name="=?iso-8859-1?Q?Ordre_du_jour_r=E9union.docx?="
        Content-Description: =?iso-8859-1?Q?Ordre_du_jour_r=E9union.docx?=
        Content-Disposition: attachment;
        	filename="=?iso-8859-1?Q?Ordre_du_jour_r=E9union.docx?="; size=14;
        	creation-date="Tue, 14 Nov 2023 09:14:00 GMT";
        	modification-date="Tue, 14 Nov 2023 09:15:00 GMT"
        Content-Transfer-Encoding: base64

        UEsDBBQABgAIAAAAIQA=

        --_004_AM0PR09MB1234ABCD_--
        """;

    internal const string Thunderbird = """
        Message-ID: <5b1e2c3d-aaaa-bbbb-cccc-0123456789ab@ministere.gouv.fr>
        Date: Wed, 15 Nov 2023 14:02:11 +0100
        MIME-Version: 1.0
        User-Agent: Mozilla Thunderbird
        Content-Language: fr
        To: Sophie Durand <sophie.durand@ministere.gouv.fr>
        From: =?UTF-8?Q?J=C3=A9r=C3=B4me_Martin?= <jerome.martin@ministere.gouv.fr>
        Subject: =?UTF-8?Q?Re=3A_Ordre_du_jour_de_la_r=C3=A9union?=
        In-Reply-To: <AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com>
        References: <AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com>
        Content-Type: multipart/mixed; boundary="------------0FqYz3lV9bH8sNQeU2c7pD4a"

        This is a multi-part message in MIME format.
        --------------0FqYz3lV9bH8sNQeU2c7pD4a
        Content-Type: text/plain; charset=UTF-8; format=flowed
        Content-Transfer-Encoding: 8bit

        Bonjour Sophie,

        Merci, voici mes remarques sur le document joint.

        Jérôme

        --------------0FqYz3lV9bH8sNQeU2c7pD4a
        Content-Type: application/pdf; name="Remarques =?UTF-8?Q?r=C3=A9union=2Epdf?="
        Content-Disposition: attachment; filename*=UTF-8''Remarques%20r%C3%A9union.pdf
        Content-Transfer-Encoding: base64

        JVBERi0xLjQKJeT89t8KMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyA+PgplbmRvYmoK

        --------------0FqYz3lV9bH8sNQeU2c7pD4a--
        """;

    internal const string AppleMail = """
        From: =?utf-8?Q?Ana=C3=AFs_Lef=C3=A8vre?= <anais.lefevre@icloud.com>
        Content-Type: multipart/alternative;
        	boundary="Apple-Mail=_8C1F2E3D-4B5A-6978-8A9B-0C1D2E3F4A5B"
        Mime-Version: 1.0 (Mac OS X Mail 16.0 \(3731.600.7\))
        Subject: Photo du chantier
        Date: Thu, 16 Nov 2023 18:45:09 +0100
        Message-Id: <A1B2C3D4-E5F6-4789-9ABC-DEF012345678@icloud.com>
        To: jerome.martin@ministere.gouv.fr
        X-Mailer: Apple Mail (2.3731.600.7)


        --Apple-Mail=_8C1F2E3D-4B5A-6978-8A9B-0C1D2E3F4A5B
        Content-Transfer-Encoding: quoted-printable
        Content-Type: text/plain;
        	charset=utf-8

        Voici la photo du chantier =C3=A0 Lyon.=20

        Bien =C3=A0 vous,
        Ana=C3=AFs

        --Apple-Mail=_8C1F2E3D-4B5A-6978-8A9B-0C1D2E3F4A5B
        Content-Type: multipart/related;
        	type="text/html";
        	boundary="Apple-Mail=_1A2B3C4D-0000-1111-2222-333344445555"


        --Apple-Mail=_1A2B3C4D-0000-1111-2222-333344445555
        Content-Transfer-Encoding: quoted-printable
        Content-Type: text/html;
        	charset=utf-8

        <html><head><meta http-equiv=3D"content-type" content=3D"text/html; =
        charset=3Dutf-8"></head><body style=3D"overflow-wrap: break-word;">Voici la =
        photo du chantier =C3=A0 Lyon.<div><img apple-inline=3D"yes" =
        id=3D"1" src=3D"cid:6F1E2D3C-4B5A-4978-8A9B-0C1D2E3F4A5B"></div></body></html>=

        --Apple-Mail=_1A2B3C4D-0000-1111-2222-333344445555
        Content-Transfer-Encoding: base64
        Content-Disposition: inline;
        	filename=chantier.png
        Content-Type: image/png;
        	x-unix-mode=0644;
        	name="chantier.png"
        Content-Id: <6F1E2D3C-4B5A-4978-8A9B-0C1D2E3F4A5B>

        iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==

        --Apple-Mail=_1A2B3C4D-0000-1111-2222-333344445555--

        --Apple-Mail=_8C1F2E3D-4B5A-6978-8A9B-0C1D2E3F4A5B--
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task OutlookExchangeMessage(bool seekable)
    {
        using var message = await ParseAsync(Outlook, seekable);
        Assert.Empty(message.Warnings);
        Assert.Equal("Ordre du jour de la réunion", message.Subject);
        Assert.Equal(("Durand, Sophie", "sophie.durand@ministere.gouv.fr"), (message.From.Mailboxes.Single().Name, message.From.Mailboxes.Single().Address));
        Assert.Equal("Jérôme Martin", message.To.Mailboxes.Single().Name);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 9, 15, 20, TimeSpan.Zero), message.Date);
        Assert.Equal("AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com", message.MessageId);
        Assert.Equal(string.Empty, message.Headers["X-MS-TNEF-Correlator"]);
        Assert.Contains("15.1.2507.6; Tue, 14 Nov 2023 10:15:22 +0100", message.Headers["Received"], StringComparison.Ordinal);

        var mixed = Multi(message.Body);
        Assert.Equal(2, mixed.Parts.Count);
        var alternative = Multi(mixed.Parts[0]);
        Assert.Equal("multipart/alternative", alternative.ContentType.MimeType);

        var text = message.TextBody;
        Assert.NotNull(text);
        Assert.Equal(
            "Bonjour Jérôme,\r\n\r\nVoici l'ordre du jour de la réunion de jeudi. Merci de le relire avant la séance.\r\n\r\nCordialement,\r\nSophie\r\n",
            await text.GetTextAsync());
        var html = message.HtmlBody;
        Assert.NotNull(html);
        Assert.Equal(
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\"></head><body><p>Bonjour Jérôme,</p></body></html>\r\n",
            await html.GetTextAsync());

        var attachment = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("Ordre du jour réunion.docx", attachment.FileName);
        Assert.Equal(14, attachment.ContentDisposition?.Size);
        Assert.Equal("Ordre du jour réunion.docx", attachment.Headers["Content-Description"]);
        var bytes = await ReadAllAsync(attachment.OpenDecodedRead());
        Assert.Equal(14, bytes.Length);
        Assert.Equal("PK\u0003\u0004"u8.ToArray(), bytes[..4]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ThunderbirdReplyWithAttachment(bool seekable)
    {
        using var message = await ParseAsync(Thunderbird, seekable);
        Assert.Empty(message.Warnings);
        Assert.Equal("Re: Ordre du jour de la réunion", message.Subject);
        Assert.Equal("Jérôme Martin", message.From.Mailboxes.Single().Name);
        Assert.Equal("AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com", message.InReplyTo);
        Assert.Equal(["AM0PR09MB1234ABCD@AM0PR09MB1234.eurprd09.prod.outlook.com"], message.References);

        var mixed = Multi(message.Body);
        Assert.Equal("This is a multi-part message in MIME format.", await ReadAsciiAsync(mixed.OpenPreambleRead()));
        var text = message.TextBody;
        Assert.NotNull(text);
        Assert.Equal("flowed", text.ContentType.Parameters["format"]);
        Assert.Equal("Bonjour Sophie,\r\n\r\nMerci, voici mes remarques sur le document joint.\r\n\r\nJérôme\r\n", await text.GetTextAsync());
        Assert.Null(message.HtmlBody);

        var pdf = Assert.IsType<MimePart>(Assert.Single(message.Attachments));
        Assert.Equal("Remarques réunion.pdf", pdf.FileName);
        Assert.Equal("Remarques réunion.pdf", pdf.ContentType.Name);
        var bytes = await ReadAllAsync(pdf.OpenDecodedRead());
        Assert.StartsWith("%PDF-1.4\n", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(0xE4, bytes[10]);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AppleMailWithInlineImage(bool seekable)
    {
        using var message = await ParseAsync(AppleMail, seekable);
        Assert.Empty(message.Warnings);
        Assert.Equal("Anaïs Lefèvre", message.From.Mailboxes.Single().Name);
        Assert.Equal("1.0 (Mac OS X Mail 16.0 \\(3731.600.7\\))", message.Headers["Mime-Version"]);

        var text = message.TextBody;
        Assert.NotNull(text);
        Assert.Equal("Voici la photo du chantier à Lyon. \r\n\r\nBien à vous,\r\nAnaïs\r\n", await text.GetTextAsync());

        var html = message.HtmlBody;
        Assert.NotNull(html);
        var htmlText = await html.GetTextAsync();
        Assert.EndsWith("</div></body></html>", htmlText, StringComparison.Ordinal);
        Assert.Contains("content=\"text/html; charset=utf-8\"", htmlText, StringComparison.Ordinal);
        Assert.Contains("photo du chantier à Lyon.", htmlText, StringComparison.Ordinal);

        var image = message.FindByContentId("cid:6F1E2D3C-4B5A-4978-8A9B-0C1D2E3F4A5B");
        Assert.NotNull(image);
        Assert.True(image.IsInlineResource);
        Assert.False(image.IsAttachment);
        Assert.Equal("chantier.png", image.FileName);
        Assert.Equal("0644", image.ContentType.Parameters["x-unix-mode"]);
        var png = await ReadAllAsync(image.OpenDecodedRead());
        Assert.Equal(70, png.Length);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public async Task RawMessageAndEntitiesReadBackExactly()
    {
        var bytes = Crlf(Outlook);
        foreach (var seekable in new[] { true, false })
        {
            using var message = await ParseAsync(bytes, seekable);
            Assert.Equal(bytes, await ReadAllAsync(message.OpenRawRead()));
            Assert.Equal(bytes.Length, message.Length);
            var attachment = Assert.IsType<MimePart>(message.Attachments.Single());
            var raw = Encoding.ASCII.GetString(await ReadAllAsync(attachment.OpenRawRead()));
            Assert.StartsWith("Content-Type: application/vnd.openxmlformats", raw, StringComparison.Ordinal);
            Assert.EndsWith("\r\n\r\nUEsDBBQABgAIAAAAIQA=\r\n", raw, StringComparison.Ordinal);
            Assert.Equal("UEsDBBQABgAIAAAAIQA=\r\n", await ReadAsciiAsync(attachment.OpenEncodedRead()));
        }
    }

    [Fact]
    public async Task MissingFinalBoundaryAtEndOfInput()
    {
        using var message = await ParseAsync("""
            From: a@example.org
            Subject: truncated
            Content-Type: multipart/mixed; boundary="XYZ"

            --XYZ
            Content-Type: text/plain

            first part
            --XYZ
            Content-Type: text/plain

            second part without end
            """);
        var mixed = Multi(message.Body);
        Assert.Equal(2, mixed.Parts.Count);
        Assert.Equal("first part", await Part(mixed.Parts[0]).GetTextAsync());
        Assert.Equal("second part without end", await Part(mixed.Parts[1]).GetTextAsync());
        Assert.Equal(MimeWarningKind.MissingFinalBoundary, Assert.Single(message.Warnings).Kind);
    }

    [Fact]
    public async Task MissingInnerCloseDelimiterIsEndedByTheOuterBoundary()
    {
        using var message = await ParseAsync("""
            Content-Type: multipart/mixed; boundary=outer

            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain

            inner text
            --outer
            Content-Type: text/plain

            after
            --outer--
            """);
        var outer = Multi(message.Body);
        Assert.Equal(2, outer.Parts.Count);
        var inner = Multi(outer.Parts[0]);
        Assert.Equal("inner text", await Part(Assert.Single(inner.Parts)).GetTextAsync());
        Assert.Equal("after", await Part(outer.Parts[1]).GetTextAsync());
        Assert.Equal(MimeWarningKind.MissingFinalBoundary, Assert.Single(message.Warnings).Kind);
    }

    [Theory]
    [InlineData("SGVs bG8*#@!\n sIHdv\ncmxk!!", "Hello, world")]
    [InlineData("SGVsbG8", "Hello")]
    [InlineData("SGVsbG8=\n\n==\n", "Hello")]
    [InlineData("SGk=SGk=", "HiHi")] // separately encoded chunks concatenated
    [InlineData("SGVs\tbG8s\r\nIHdv\r\ncmxk\r\n\r\n", "Hello, world")]
    [InlineData("!!!", "")]
    public async Task BadBase64IsDecodedTolerantly(string body, string expected)
    {
        using var message = await ParseAsync("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n" + body);
        Assert.Equal(expected, await Part(message.Body).GetTextAsync());
    }

    [Fact]
    public async Task UnknownCharsetFallsBackToUtf8ThenLatin1()
    {
        var latin1 = Encoding.Latin1.GetBytes("Content-Type: text/plain; charset=\"x-mystery-charset\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\ncaf\u00e9 cr\u00e8me");
        using (var message = await ParseAsync(latin1))
        {
            Assert.Equal("café crème", await Part(message.Body).GetTextAsync());
        }

        using (var message = await ParseAsync("Content-Type: text/plain; charset=x-mystery-charset\nContent-Transfer-Encoding: 8bit\n\ncafé 日本"))
        {
            Assert.Equal("café 日本", await Part(message.Body).GetTextAsync());
        }

        using (var message = await ParseAsync("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n=E2=82=AC and us-ascii default"))
        {
            Assert.Equal("€ and us-ascii default", await Part(message.Body).GetTextAsync());
        }
    }

    [Fact]
    public async Task DeclaredLegacyCharsetsDecodeThroughCodePages()
    {
        using var message = await ParseAsync("""
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain; charset=windows-1252
            Content-Transfer-Encoding: quoted-printable

            =93Guillemets=94 =80 =9Cuvre
            --b
            Content-Type: text/plain; charset=koi8-r
            Content-Transfer-Encoding: base64

            8NLJ18XU
            --b
            Content-Type: text/plain; charset=shift_jis
            Content-Transfer-Encoding: base64

            k/qWe4zq
            --b
            Content-Type: text/plain; charset=utf-16
            Content-Transfer-Encoding: base64

            //5oAGkA
            --b--
            """);
        var parts = Multi(message.Body).Parts.Select(Part).ToList();
        Assert.Equal("\u201cGuillemets\u201d € œuvre", await parts[0].GetTextAsync());
        Assert.Equal("Привет", await parts[1].GetTextAsync());
        Assert.Equal("日本語", await parts[2].GetTextAsync());
        Assert.Equal("hi", await parts[3].GetTextAsync());
    }

    [Fact]
    public async Task EightBitHeadersInLatin1()
    {
        var bytes = Encoding.Latin1.GetBytes(
            "From: Ren\u00e9 Ch\u00e2teau <rene@example.fr>\r\nSubject: R\u00e9union budg\u00e9taire\r\n" +
            "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Disposition: attachment; filename=\"r\u00e9sum\u00e9.txt\"\r\n\r\n\u00e9t\u00e9");
        using var message = await ParseAsync(bytes);
        Assert.Equal("Réunion budgétaire", message.Subject);
        Assert.Equal("René Château", message.From.Mailboxes.Single().Name);
        Assert.Equal("résumé.txt", Part(message.Body).FileName);
        Assert.Equal("été", await Part(message.Body).GetTextAsync());

        var utf8 = Crlf("Subject: Réunion en UTF-8 brut\n\nx");
        using var raw = await ParseAsync(utf8);
        Assert.Equal("Réunion en UTF-8 brut", raw.Subject);
    }

    [Fact]
    public async Task DeepNestingIsCutAt64Levels()
    {
        const int levels = 100;
        var sb = new StringBuilder("Subject: deep\r\n");
        for (var i = 0; i < levels; i++)
        {
            sb.Append($"Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\ndeep\r\n");
        for (var i = levels - 1; i >= 0; i--)
        {
            sb.Append($"--b{i}--\r\n");
        }

        using var message = await ParseAsync(Encoding.ASCII.GetBytes(sb.ToString()));
        var depth = 0;
        MimeEntity entity = message.Body;
        while (entity is Multipart m)
        {
            depth++;
            entity = Assert.Single(m.Parts);
        }

        Assert.Equal(64, depth);
        var leaf = Part(entity);
        Assert.Equal("multipart/mixed", leaf.ContentType.MimeType);
        Assert.Equal("b64", leaf.ContentType.Boundary);
        var content = await ReadAsciiAsync(leaf.OpenEncodedRead());
        Assert.Contains("deep\r\n--b99--", content, StringComparison.Ordinal);
        Assert.EndsWith("--b64--", content, StringComparison.Ordinal);
        Assert.Equal(MimeWarningKind.NestingTooDeep, Assert.Single(message.Warnings).Kind);
    }

    [Fact]
    public async Task VeryLongHeaderLines()
    {
        var longSubject = string.Concat(Enumerable.Repeat("abcdefghij", 20_000)); // 200 KB on one line
        var references = string.Join("\r\n ", Enumerable.Range(0, 5000).Select(i => $"<id{i}@example.org>"));
        var huge = new string('x', 2 * 1024 * 1024);
        var text = $"Subject: {longSubject}\r\nReferences: {references}\r\nX-Huge: {huge}\r\nX-After: kept?\r\n\r\nbody";
        using var message = await ParseAsync(Encoding.ASCII.GetBytes(text), seekable: false);
        Assert.Equal(longSubject, message.Subject);
        Assert.Equal(5000, message.References.Count);
        Assert.Equal("id4999@example.org", message.References[^1]);
        Assert.Null(message.Headers["X-Huge"]);
        Assert.Null(message.Headers["X-After"]);
        Assert.Contains(message.Warnings, w => w.Kind == MimeWarningKind.HeaderBlockTruncated);
        Assert.Equal("body", await Part(message.Body).GetTextAsync());
    }

    [Fact]
    public async Task ForwardedMessageAsAttachment()
    {
        var bytes = Crlf("""
            From: outer@example.org
            Subject: Fwd: Inner subject
            Content-Type: multipart/mixed; boundary="m"

            --m
            Content-Type: text/plain

            See attached.
            --m
            Content-Type: message/rfc822
            Content-Disposition: attachment; filename="fwd.eml"

            From: inner@example.org
            Subject: Inner subject
            Content-Type: multipart/alternative; boundary="i"

            --i
            Content-Type: text/plain

            inner plain
            --i
            Content-Type: text/html

            <p>inner html</p>
            --i--

            --m--
            """);
        using var message = await ParseAsync(bytes);
        Assert.Empty(message.Warnings);
        Assert.Equal("See attached.", await (message.TextBody ?? throw new InvalidOperationException()).GetTextAsync());
        Assert.Null(message.HtmlBody);
        var forwarded = Assert.IsType<MessagePart>(Assert.Single(message.Attachments));
        Assert.Equal("fwd.eml", forwarded.FileName);
        Assert.Equal("Inner subject", forwarded.Message.Subject);
        Assert.Equal("inner@example.org", forwarded.Message.From.Mailboxes.Single().Address);
        Assert.Equal("inner plain", await (forwarded.Message.TextBody ?? throw new InvalidOperationException()).GetTextAsync());
        Assert.Equal("<p>inner html</p>", await (forwarded.Message.HtmlBody ?? throw new InvalidOperationException()).GetTextAsync());
        var raw = Encoding.ASCII.GetString(await ReadAllAsync(forwarded.Message.OpenRawRead()));
        Assert.StartsWith("From: inner@example.org\r\n", raw, StringComparison.Ordinal);
        Assert.EndsWith("--i--\r\n", raw, StringComparison.Ordinal);
    }
}
