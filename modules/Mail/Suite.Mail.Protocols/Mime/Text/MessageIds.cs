namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Reads msg-id lists (Message-ID, In-Reply-To, References, Content-ID; RFC 5322 §3.6.4) leniently: ids are returned
/// without angle brackets; comments and phrases between ids are ignored; values without brackets are split on whitespace.
/// </summary>
internal static class MessageIds
{
    public static string? First(string? value)
    {
        var all = Parse(value);
        return all.Count > 0 ? all[0] : null;
    }

    public static List<string> Parse(string? value)
    {
        var ids = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return ids;
        }

        var lx = new HeaderLexer(value);
        var sawAngle = false;
        while (true)
        {
            lx.SkipCfws();
            if (lx.AtEnd)
            {
                break;
            }

            if (lx.Is('<'))
            {
                sawAngle = true;
                lx.Position++;
                var end = value.IndexOf('>', lx.Position);
                var id = value[lx.Position..(end < 0 ? value.Length : end)].Trim();
                lx.Position = end < 0 ? value.Length : end + 1;
                if (id.Length > 0)
                {
                    ids.Add(RemoveWhitespace(id));
                }
            }
            else if (lx.Is('"'))
            {
                lx.ReadQuotedString();
            }
            else
            {
                lx.Position++;
            }
        }

        if (!sawAngle)
        {
            foreach (var word in value.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!word.StartsWith('('))
                {
                    ids.Add(word);
                }
            }
        }

        return ids;
    }

    private static string RemoveWhitespace(string id) =>
        id.AsSpan().IndexOfAny(' ', '\t') < 0 ? id : string.Concat(id.Where(c => c is not (' ' or '\t')));
}
