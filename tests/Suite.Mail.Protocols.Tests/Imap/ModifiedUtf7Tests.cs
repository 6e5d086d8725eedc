using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

public sealed class ModifiedUtf7Tests
{
    [Theory]
    [InlineData("INBOX", "INBOX")]
    [InlineData("Envoyés", "Envoy&AOk-s")]
    [InlineData("Tom & Jerry", "Tom &- Jerry")]
    [InlineData("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-")]
    [InlineData("Éléments supprimés", "&AMk-l&AOk-ments supprim&AOk-s")]
    [InlineData("😀", "&2D3eAA-")]
    public void Names_encode_and_decode(string name, string encoded)
    {
        Assert.Equal(encoded, ModifiedUtf7.Encode(name));
        Assert.Equal(name, ModifiedUtf7.Decode(encoded));
    }

    [Theory]
    [InlineData("&")]
    [InlineData("&AOk")]
    [InlineData("&!!-")]
    [InlineData("&2D0-")]
    [InlineData("&AOkA-")]
    public void Invalid_names_are_returned_unchanged(string encoded)
    {
        Assert.False(ModifiedUtf7.TryDecode(encoded, out _));
        Assert.Equal(encoded, ModifiedUtf7.Decode(encoded));
    }

    [Fact]
    public void Random_names_round_trip()
    {
        var random = new Random(5);
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 20)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) switch
                {
                    0 => (char)random.Next(0x20, 0x7f),
                    1 => '&',
                    2 => (char)random.Next(0xa0, 0xd7ff),
                    _ => (char)random.Next(0xe000, 0xfffe),
                };
            }

            var name = new string(chars);
            Assert.Equal(name, ModifiedUtf7.Decode(ModifiedUtf7.Encode(name)));
        }
    }
}
