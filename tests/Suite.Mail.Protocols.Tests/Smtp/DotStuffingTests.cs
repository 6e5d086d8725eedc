using System.Text;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Protocols.Tests.Smtp;

public sealed class DotStuffingTests
{
    [Theory]
    [InlineData("a\r\nb\r\n", "a\r\nb\r\n")]
    [InlineData(".\r\n", "..\r\n")]
    [InlineData("x\r\n.\r\ny", "x\r\n..\r\ny\r\n")]
    [InlineData("a\nb\rc\r\r\n", "a\r\nb\r\nc\r\n\r\n")]
    [InlineData("", "")]
    [InlineData("end\r", "end\r\n")]
    [InlineData("..x", "...x\r\n")]
    [InlineData("a.b\r\n", "a.b\r\n")]
    public void Lines_are_stuffed_and_normalised(string input, string expected)
    {
        Assert.Equal(expected, Run(input, chunk: input.Length + 1));
    }

    [Fact]
    public void Results_do_not_depend_on_how_input_is_split()
    {
        var random = new Random(3);
        const string alphabet = ".\r\nab";
        for (var i = 0; i < 500; i++)
        {
            var input = new string(Enumerable.Range(0, random.Next(40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            var whole = Run(input, input.Length + 1);

            Assert.Equal(whole, Run(input, 1 + random.Next(5)));
            Assert.DoesNotContain("\r\n.\r\n", "\r\n" + whole, StringComparison.Ordinal);
            Assert.True(whole.Length == 0 || whole.EndsWith("\r\n", StringComparison.Ordinal));
        }
    }

    private static string Run(string input, int chunk)
    {
        var bytes = Encoding.ASCII.GetBytes(input);
        var stuffing = new DotStuffing();
        var result = new List<byte>();
        for (var offset = 0; offset < bytes.Length; offset += chunk)
        {
            var piece = bytes.AsSpan(offset, Math.Min(chunk, bytes.Length - offset));
            var output = new byte[(piece.Length * 2) + 2];
            result.AddRange(output.AsSpan(0, stuffing.Transform(piece, output)).ToArray());
        }

        result.AddRange(stuffing.Finish().ToArray());
        return Encoding.ASCII.GetString([.. result]);
    }
}
