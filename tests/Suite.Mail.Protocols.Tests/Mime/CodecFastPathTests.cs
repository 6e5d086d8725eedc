using System.Text;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Mime;

/// <summary>
/// The decoders' bulk paths (whole base64 lines through the vectorised decoder, quoted-printable literal runs copied at
/// once) must give exactly what the byte-by-byte lenient path gives. Fed one byte at a time, no line is ever whole and
/// no run longer than a byte, so that is the reference.
/// </summary>
public sealed class CodecFastPathTests
{
    public static TheoryData<string> Base64Inputs => new()
    {
        "QUJDREVGR0hJSktM\r\nTU5PUFFSU1RVVldY\r\nWVo=\r\n",
        "QUJD\nREVG\nR0g=\n",
        "QUJDRE\r\nVGR0hJ\r\nSktM\r\n",                  // lines that do not end on a quantum boundary
        "QUJD REVG\tR0hJ\r\n",                           // whitespace inside a line
        "QUJD!!REVG\r\nR0*hJSktM\r\n",                   // garbage inside lines, also inside a quantum
        "QUI=\r\nQUJD\r\n",                              // padding, then a concatenated stream
        "QUI=QUJD\r\nREVG\r\n",                          // padding followed by data on the same line
        "QU==\r\n\r\nREVGR0hJ\r\n",
        "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\nNTY3ODk=", // no final line break
        "=\r\nQUJD\r\n",
        "\r\n\r\nQUJD\r\n",
    };

    [Theory]
    [MemberData(nameof(Base64Inputs))]
    public void Base64BulkPathMatchesByteByByte(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(Decode(bytes, base64: true, chunk: 1), Decode(bytes, base64: true, chunk: 64 * 1024));
    }

    [Theory]
    [InlineData("Caf=C3=A9 au lait =\r\nsoft break, hard break\r\n")]
    [InlineData("trailing =  \r\nspaces and = sign alone, =ZZ bad hex, =4")]
    [InlineData("plain text without any escape at all, long enough to be a run\r\nsecond line\r\n")]
    [InlineData("=3D=3D==\r\n=\n=")]
    public void QuotedPrintableBulkPathMatchesByteByByte(string input)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(Decode(bytes, base64: false, chunk: 1), Decode(bytes, base64: false, chunk: 64 * 1024));
    }

    [Fact]
    public void Base64LargeAttachmentDecodesExactly()
    {
        var data = new byte[300_000];
        new Random(11).NextBytes(data);
        var encoded = Encoding.ASCII.GetBytes(Convert.ToBase64String(data, Base64FormattingOptions.InsertLineBreaks) + "\r\n");
        Assert.Equal(data, Decode(encoded, base64: true, chunk: 64 * 1024));
    }

    private static byte[] Decode(byte[] encoded, bool base64, int chunk)
    {
        using var stream = new TransferDecodingStream(new NonSeekableStream(new MemoryStream(encoded), chunk), base64);
        using var output = new MemoryStream();
        stream.CopyTo(output);
        return output.ToArray();
    }
}
