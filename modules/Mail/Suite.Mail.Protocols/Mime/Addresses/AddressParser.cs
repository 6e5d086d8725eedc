using System.Text;

namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Lenient RFC 5322 §3.4 address-list parser working on tokens. Accepts groups, quoted and encoded display names,
/// comments (a trailing comment names an addr-spec without angle brackets, the obsolete "user@host (Name)" form),
/// obsolete routes (<c>&lt;@a,@b:user@host&gt;</c>), dots in unquoted names ("John Q. Public"), empty list elements,
/// missing '&gt;' or ';', and the common unquoted "Last, First &lt;addr&gt;" mistake.
/// </summary>
internal static class AddressParser
{
    private enum Kind
    {
        Atom,
        Quoted,
        Comment,
        DomainLiteral,
        Special,
    }

    private readonly record struct Token(Kind Kind, string Text)
    {
        public bool IsSpecial(char c) => Kind == Kind.Special && Text[0] == c;

        public bool IsWord => Kind is Kind.Atom or Kind.Quoted;
    }

    public static List<InternetAddress> Parse(string value)
    {
        var tokens = Tokenize(value);
        var result = new List<InternetAddress>();
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].IsSpecial(',') || tokens[i].IsSpecial(';') || tokens[i].IsSpecial('>'))
            {
                i++;
                continue;
            }

            var address = ParseAddress(tokens, ref i, inGroup: false);
            if (address is not null)
            {
                result.Add(address);
            }
        }

        return result;
    }

    private static InternetAddress? ParseAddress(List<Token> tokens, ref int i, bool inGroup)
    {
        var phrase = new List<Token>();
        var comments = new List<string>();
        while (i < tokens.Count)
        {
            var t = tokens[i];
            if (t.Kind == Kind.Comment)
            {
                comments.Add(t.Text);
                i++;
                continue;
            }

            if (t.IsSpecial('<'))
            {
                i++;
                var address = ReadAngleAddress(tokens, ref i);
                SkipToSeparator(tokens, ref i, comments);
                var name = PhraseText(phrase);
                if (name.Length == 0 && comments.Count > 0)
                {
                    name = Rfc2047.Decode(comments[^1]);
                }

                return new MailboxAddress(name, address);
            }

            if (t.IsSpecial(':') && !inGroup)
            {
                i++;
                return ReadGroup(tokens, ref i, PhraseText(phrase));
            }

            if (t.IsSpecial(',') || t.IsSpecial(';'))
            {
                if (t.IsSpecial(',') && !inGroup && phrase.Count > 0 && !phrase.Exists(p => p.IsSpecial('@')) && AngleFollows(tokens, i + 1))
                {
                    phrase.Add(t); // "Last, First <addr>": the comma belongs to an unquoted display name.
                    i++;
                    continue;
                }

                break;
            }

            if (!t.IsSpecial('>') && !t.IsSpecial(':'))
            {
                phrase.Add(t);
            }

            i++;
        }

        if (phrase.Count == 0)
        {
            return null;
        }

        var display = comments.Count > 0 ? Rfc2047.Decode(comments[^1]) : null;
        if (!phrase.Exists(p => p.IsSpecial('@')) && phrase.Count(p => p.IsWord) > 1)
        {
            // A bare display name without any address ("John Smith"): keep the name, the address is unknown.
            return new MailboxAddress(PhraseText(phrase), string.Empty);
        }

        var addr = AddrSpec(phrase);
        return addr.Length == 0 ? null : new MailboxAddress(display, addr);
    }

    private static GroupAddress ReadGroup(List<Token> tokens, ref int i, string name)
    {
        var members = new List<MailboxAddress>();
        while (i < tokens.Count)
        {
            if (tokens[i].IsSpecial(';'))
            {
                i++;
                break;
            }

            if (tokens[i].IsSpecial(','))
            {
                i++;
                continue;
            }

            var start = i;
            if (ParseAddress(tokens, ref i, inGroup: true) is MailboxAddress m)
            {
                members.Add(m);
            }

            if (i == start)
            {
                i++;
            }
        }

        return new GroupAddress(name, members);
    }

    private static bool AngleFollows(List<Token> tokens, int i)
    {
        for (; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSpecial('<'))
            {
                return true;
            }

            if (t.IsSpecial(',') || t.IsSpecial(';') || t.IsSpecial(':') || t.IsSpecial('@'))
            {
                return false;
            }
        }

        return false;
    }

    private static string ReadAngleAddress(List<Token> tokens, ref int i)
    {
        // Obsolete route: <@hostA,@hostB:user@host>
        if (i < tokens.Count && tokens[i].IsSpecial('@'))
        {
            var j = i;
            while (j < tokens.Count && !tokens[j].IsSpecial(':') && !tokens[j].IsSpecial('>'))
            {
                j++;
            }

            if (j < tokens.Count && tokens[j].IsSpecial(':'))
            {
                i = j + 1;
            }
        }

        var parts = new List<Token>();
        while (i < tokens.Count)
        {
            var t = tokens[i];
            if (t.IsSpecial('>'))
            {
                i++;
                break;
            }

            if (t.IsSpecial(',') || t.IsSpecial(';') || t.IsSpecial('<'))
            {
                break;
            }

            if (t.Kind != Kind.Comment)
            {
                parts.Add(t);
            }

            i++;
        }

        return AddrSpec(parts);
    }

    private static void SkipToSeparator(List<Token> tokens, ref int i, List<string> comments)
    {
        while (i < tokens.Count && !tokens[i].IsSpecial(',') && !tokens[i].IsSpecial(';'))
        {
            if (tokens[i].Kind == Kind.Comment)
            {
                comments.Add(tokens[i].Text);
            }

            i++;
        }
    }

    private static string AddrSpec(List<Token> parts)
    {
        var sb = new StringBuilder();
        foreach (var t in parts)
        {
            switch (t.Kind)
            {
                case Kind.Quoted:
                    sb.Append(QuoteIfNeeded(t.Text));
                    break;
                case Kind.Atom or Kind.DomainLiteral:
                    sb.Append(t.Text);
                    break;
                case Kind.Special when t.Text is "." or "@":
                    sb.Append(t.Text);
                    break;
            }
        }

        return sb.ToString();
    }

    private static string QuoteIfNeeded(string localPart)
    {
        var plain = localPart.Length > 0 && localPart.All(c => HeaderLexer.IsAtext(c) || c == '.');
        return plain ? localPart : "\"" + localPart.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    private static string PhraseText(List<Token> phrase)
    {
        var sb = new StringBuilder();
        foreach (var t in phrase)
        {
            if (t.Kind == Kind.Special)
            {
                if (t.Text is "." or "," && sb.Length > 0)
                {
                    sb.Append(t.Text);
                    continue;
                }

                if (t.Text is "@")
                {
                    if (sb.Length > 0)
                    {
                        sb.Append(' ');
                    }

                    sb.Append('@');
                }

                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(t.Text);
        }

        return Rfc2047.Decode(sb.ToString()).Trim();
    }

    private static List<Token> Tokenize(string value)
    {
        var lx = new HeaderLexer(value);
        var tokens = new List<Token>();
        while (true)
        {
            lx.SkipWhitespace();
            if (lx.AtEnd)
            {
                return tokens;
            }

            var c = lx.Current;
            switch (c)
            {
                case '(':
                    tokens.Add(new Token(Kind.Comment, lx.ReadComment()));
                    break;
                case '"':
                    tokens.Add(new Token(Kind.Quoted, lx.ReadQuotedString()));
                    break;
                case '[':
                    tokens.Add(new Token(Kind.DomainLiteral, lx.ReadDomainLiteral()));
                    break;
                default:
                    if (HeaderLexer.IsAtext(c))
                    {
                        tokens.Add(new Token(Kind.Atom, lx.ReadAtom()));
                    }
                    else
                    {
                        tokens.Add(new Token(Kind.Special, c.ToString()));
                        lx.Position++;
                    }

                    break;
            }
        }
    }
}
