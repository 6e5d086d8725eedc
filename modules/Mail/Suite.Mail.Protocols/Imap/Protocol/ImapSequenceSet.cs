using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols.Imap;

/// <summary>Formats and parses IMAP sequence sets such as <c>1:4,7,9:12</c>.</summary>
internal static class ImapSequenceSet
{
    /// <summary>Expanding more numbers than this from a server answer is refused as hostile.</summary>
    public const int MaxExpanded = 10_000_000;

    public static string Format(IEnumerable<uint> numbers)
    {
        var sorted = numbers.Distinct().Order().ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("At least one number is needed.", nameof(numbers));
        }

        if (sorted[0] == 0)
        {
            throw new ArgumentException("Message numbers and UIDs start at 1.", nameof(numbers));
        }

        var text = new StringBuilder();
        var start = sorted[0];
        var previous = start;
        for (var i = 1; i <= sorted.Count; i++)
        {
            if (i < sorted.Count && sorted[i] == previous + 1)
            {
                previous = sorted[i];
                continue;
            }

            if (text.Length > 0)
            {
                text.Append(',');
            }

            text.Append(start.ToString(CultureInfo.InvariantCulture));
            if (previous != start)
            {
                text.Append(':').Append(previous.ToString(CultureInfo.InvariantCulture));
            }

            if (i < sorted.Count)
            {
                start = previous = sorted[i];
            }
        }

        return text.ToString();
    }

    /// <summary>Parses a set sent by the server (no "*"). Malformed or oversized sets raise <see cref="ImapProtocolException"/>.</summary>
    public static List<uint> Parse(string? text)
    {
        var result = new List<uint>();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (var range in text.Split(','))
        {
            var colon = range.IndexOf(':');
            var first = Number(colon < 0 ? range : range[..colon], text);
            var last = colon < 0 ? first : Number(range[(colon + 1)..], text);
            if (first > last)
            {
                (first, last) = (last, first);
            }

            if (result.Count + (long)(last - first) + 1 > MaxExpanded)
            {
                throw new ImapProtocolException($"Sequence set too large: {Shorten(text)}");
            }

            for (var n = first; ; n++)
            {
                result.Add(n);
                if (n == last)
                {
                    break;
                }
            }
        }

        return result;
    }

    private static uint Number(string text, string whole) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ImapProtocolException($"Malformed sequence set: {Shorten(whole)}");

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
