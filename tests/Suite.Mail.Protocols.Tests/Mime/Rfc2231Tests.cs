using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>RFC 2231 parameter value continuations, charsets and languages, with the RFC's own examples.</summary>
public sealed class Rfc2231Tests
{
    [Fact]
    public void Section3ParameterValueContinuations()
    {
        var type = ContentType.Parse("message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
        Assert.Equal("message/external-body", type.MimeType);
        Assert.Equal("URL", type.Parameters["access-type"]);
        Assert.Equal("ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar", type.Parameters["url"]);
    }

    [Fact]
    public void Section4CharsetAndLanguage()
    {
        var type = ContentType.Parse("application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
        var title = type.Parameters.Find("title");
        Assert.NotNull(title);
        Assert.Equal("This is ***fun***", title.Value);
        Assert.Equal("en-us", title.Language);
    }

    [Fact]
    public void Section4_1CombiningContinuationsWithCharsets()
    {
        var type = ContentType.Parse("application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"");
        var title = type.Parameters.Find("title");
        Assert.NotNull(title);
        Assert.Equal("This is even more ***fun*** isn't it!", title.Value);
        Assert.Equal("en", title.Language);
    }

    [Fact]
    public void SectionsOutOfOrderAndUtf8BytesSplitAcrossSections()
    {
        // "résumé.pdf": é = C3 A9, split between sections 0 and 1.
        var disposition = ContentDisposition.Parse("attachment; filename*1*=%A9sum%C3%A9.pdf; filename*0*=UTF-8''r%C3");
        Assert.NotNull(disposition);
        Assert.True(disposition.IsAttachment);
        Assert.Equal("résumé.pdf", disposition.FileName);
    }

    [Fact]
    public void Latin1CharsetAndExtendedValueWinsOverPlainValue()
    {
        var disposition = ContentDisposition.Parse("attachment; filename=\"fallback.txt\"; filename*=iso-8859-1''d%E9j%E0.txt");
        Assert.NotNull(disposition);
        Assert.Equal("déjà.txt", disposition.FileName);
    }

    [Theory]
    [InlineData("attachment; filename=\"=?UTF-8?B?w6lsw6h2ZS5wZGY=?=\"", "élève.pdf")] // RFC 2047 inside quotes (Outlook, Gmail)
    [InlineData("attachment; filename=my report.pdf", "my report.pdf")] // unquoted with a space
    [InlineData("attachment; filename=\"a \\\"quoted\\\" name.txt\"", "a \"quoted\" name.txt")]
    [InlineData("attachment;filename=x.txt;;size=12", "x.txt")]
    [InlineData("ATTACHMENT; FILENAME=\"upper.TXT\"", "upper.TXT")]
    [InlineData("attachment; filename*=''no%20charset.txt", "no charset.txt")]
    [InlineData("attachment; filename*=x-unknown''caf%C3%A9.txt", "café.txt")]
    public void RealWorldFileNames(string header, string expected)
    {
        var disposition = ContentDisposition.Parse(header);
        Assert.NotNull(disposition);
        Assert.Equal(expected, disposition.FileName);
    }

    [Fact]
    public void UnquotedBoundaryWithEqualsSign()
    {
        var type = ContentType.Parse("multipart/alternative; boundary=----=_NextPart_000_0012_01D9A1B2.3C4D5E60");
        Assert.True(type.IsMultipart);
        Assert.Equal("----=_NextPart_000_0012_01D9A1B2.3C4D5E60", type.Boundary);
    }

    [Theory]
    [InlineData("", "text/plain")]
    [InlineData("garbage", "application/octet-stream")]
    [InlineData("text", "text/plain")]
    [InlineData(";;;", "text/plain")]
    [InlineData("TEXT/HTML; charset=\"UTF-8\"", "text/html")]
    [InlineData("text/plain (comment); charset=utf-8", "text/plain")]
    public void ContentTypeDefaults(string value, string expected) => Assert.Equal(expected, ContentType.Parse(value).MimeType);

    [Fact]
    public void BuilderEncodesLongNonAsciiNamesAsContinuationsThatDecodeBack()
    {
        var name = "Compte rendu de la réunion interministérielle du 14 décembre — version définitive (2).pdf";
        var words = HeaderEncoder.Parameter("filename", name);
        Assert.True(words.Count > 1);
        Assert.All(words, w => Assert.True(w.Length <= 70, w));
        Assert.StartsWith("filename*0*=utf-8''", words[0], StringComparison.Ordinal);
        var disposition = ContentDisposition.Parse("attachment; " + string.Join(";\r\n ", words));
        Assert.NotNull(disposition);
        Assert.Equal(name, disposition.FileName);
    }
}
