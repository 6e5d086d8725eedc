using System.Security.Cryptography;

namespace Suite.Meetings.Features.Rooms;

/// <summary>Short shareable room codes, "abc-defg-hij": 10 letters from an alphabet without look-alikes
/// (no i, l, o), about 46 bits of randomness, so codes cannot be guessed by walking them.</summary>
internal static class RoomCode
{
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz";

    public static string New()
    {
        Span<char> letters = stackalloc char[10];
        for (var i = 0; i < letters.Length; i++)
            letters[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return $"{letters[..3]}-{letters[3..7]}-{letters[7..]}";
    }

    /// <summary>Accepts what people type or paste: any case, with or without dashes or spaces.</summary>
    public static string? Normalize(string? text)
    {
        if (text is null)
            return null;
        Span<char> letters = stackalloc char[10];
        var count = 0;
        foreach (var c in text)
        {
            if (c is '-' or ' ')
                continue;
            var lower = char.ToLowerInvariant(c);
            if (count == 10 || !Alphabet.Contains(lower))
                return null;
            letters[count++] = lower;
        }
        return count == 10 ? $"{letters[..3]}-{letters[3..7]}-{letters[7..]}" : null;
    }
}
