using System.Text;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>Transfer-encoding codecs in isolation, including state carried across arbitrary read boundaries.</summary>
public sealed class CodecTests
{
    private static byte[] Decode(byte[] encoded, bool base64, int chunk)
    {
        using var stream = new TransferDecodingStream(new NonSeekableStream(new MemoryStream(encoded), chunk), base64);
        using var output = new MemoryStream();
        var buffer = new byte[chunk];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, n);
        }

        return output.ToArray();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(70_000)]
    public void Base64AcrossReadBoundaries(int chunk)
    {
        var data = new byte[100_000];
        new Random(7).NextBytes(data);
        var encoded = Encoding.ASCII.GetBytes(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks));
        Assert.Equal(data, Decode(encoded, base64: true, chunk));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4096)]
    public void QuotedPrintableRoundTripAcrossReadBoundaries(int chunk)
    {
        var text = "Ligne accentuée éèà — avec = signe\r\n" + new string('x', 300) + " \t\r\nfin\t\r\n\r\n=3D";
        var bytes = Encoding.UTF8.GetBytes(text);
        var encoded = QuotedPrintableEncoder.Encode(bytes);
        Assert.All(Encoding.ASCII.GetString(encoded).Split("\r\n"), line => Assert.True(line.Length <= 76, line));
        Assert.Equal(bytes, Decode(encoded, base64: false, chunk));
    }

    [Fact]
    public void QuotedPrintableEncodesWhatMustBeEncoded()
    {
        var encoded = Encoding.ASCII.GetString(QuotedPrintableEncoder.Encode(Encoding.UTF8.GetBytes("a=b é \r\nend ")));
        Assert.Equal("a=3Db =C3=A9=20\r\nend=20", encoded);
    }

    [Fact]
    public void QuotedPrintablePendingStateSurvivesSplitsInEveryPosition()
    {
        var encoded = Encoding.ASCII.GetBytes("A=3D=\r\nB=  \r\nC=c3=A9=\nD=4");
        var expected = Encoding.UTF8.GetBytes("A=BCé" + "D=4");
        for (var chunk = 1; chunk <= encoded.Length; chunk++)
        {
            Assert.Equal(expected, Decode(encoded, base64: false, chunk));
        }
    }

    [Fact]
    public async Task DecodingStreamSupportsAsyncReads()
    {
        var data = Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes("asynchrone")));
        await using var stream = new TransferDecodingStream(new NonSeekableStream(new MemoryStream(data), 2), base64: true);
        using var output = new MemoryStream();
        await stream.CopyToAsync(output);
        Assert.Equal("asynchrone", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void HeaderFolderKeepsLinesWithin78()
    {
        var words = Enumerable.Range(0, 40).Select(i => $"word{i}").ToList();
        words.Add(new string('L', 120));
        words.Add("tail");
        var folded = HeaderFolder.Fold("Subject", words);
        var lines = folded.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 3);
        Assert.All(lines, l => Assert.True(l.Length <= 78 || !l.Trim().Contains(' ', StringComparison.Ordinal), l));
        Assert.Equal(string.Join(' ', words), folded.Replace("\r\n", string.Empty, StringComparison.Ordinal)["Subject: ".Length..]);
    }
}
