using System.Globalization;

namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// SEARCH criteria (RFC 3501 §6.4.4), composed from keys; strings travel as quoted strings or literals, never pasted
/// into the command text, so user input cannot inject protocol.
/// </summary>
public sealed class ImapSearchQuery
{
    private readonly IReadOnlyList<Term> _terms;

    private ImapSearchQuery(IReadOnlyList<Term> terms)
    {
        _terms = terms;
    }

    public static ImapSearchQuery All { get; } = Key("ALL");

    public static ImapSearchQuery Seen { get; } = Key("SEEN");

    public static ImapSearchQuery Unseen { get; } = Key("UNSEEN");

    public static ImapSearchQuery Flagged { get; } = Key("FLAGGED");

    public static ImapSearchQuery Deleted { get; } = Key("DELETED");

    public static ImapSearchQuery Answered { get; } = Key("ANSWERED");

    public static ImapSearchQuery From(string text) => KeyWithString("FROM", text);

    public static ImapSearchQuery To(string text) => KeyWithString("TO", text);

    public static ImapSearchQuery Subject(string text) => KeyWithString("SUBJECT", text);

    public static ImapSearchQuery Body(string text) => KeyWithString("BODY", text);

    /// <summary>Headers and body.</summary>
    public static ImapSearchQuery Text(string text) => KeyWithString("TEXT", text);

    public static ImapSearchQuery Header(string field, string text) =>
        new([new Term("HEADER", false), new Term(field, true), new Term(text, true)]);

    public static ImapSearchQuery Keyword(string keyword) => new([new Term("KEYWORD", false), new Term(RequireAtom(keyword), false)]);

    public static ImapSearchQuery SentSince(DateOnly date) => KeyWithDate("SENTSINCE", date);

    public static ImapSearchQuery Since(DateOnly date) => KeyWithDate("SINCE", date);

    public static ImapSearchQuery Before(DateOnly date) => KeyWithDate("BEFORE", date);

    public static ImapSearchQuery LargerThan(uint bytes) => new([new Term("LARGER", false), new Term(bytes.ToString(CultureInfo.InvariantCulture), false)]);

    public static ImapSearchQuery Uids(IEnumerable<uint> uids) => new([new Term("UID", false), new Term(ImapSequenceSet.Format(uids), false)]);

    /// <summary>Messages changed after a modification sequence (CONDSTORE).</summary>
    public static ImapSearchQuery ChangedSince(ulong modSeq) => new([new Term("MODSEQ", false), new Term(modSeq.ToString(CultureInfo.InvariantCulture), false)]);

    public static ImapSearchQuery And(params ImapSearchQuery[] queries) =>
        new([new Term("(", false), .. queries.SelectMany(q => q._terms), new Term(")", false)]);

    public static ImapSearchQuery Or(ImapSearchQuery left, ImapSearchQuery right) =>
        new([new Term("OR", false), .. left.Grouped(), .. right.Grouped()]);

    public static ImapSearchQuery Not(ImapSearchQuery query) => new([new Term("NOT", false), .. query.Grouped()]);

    /// <summary>True when a string needs CHARSET UTF-8.</summary>
    internal bool NeedsUtf8 => _terms.Any(t => t.IsString && t.Text.Any(c => c > '~'));

    internal void AppendTo(ImapCommand command)
    {
        var previousOpen = false;
        foreach (var term in _terms)
        {
            if (term.IsString)
            {
                command.String(term.Text);
            }
            else if (term.Text == ")" || previousOpen)
            {
                command.Raw(term.Text);
            }
            else
            {
                command.Atom(term.Text);
            }

            previousOpen = !term.IsString && term.Text == "(";
        }
    }

    private IEnumerable<Term> Grouped() => _terms.Count <= 2 || _terms[0].Text == "(" && !_terms[0].IsString
        ? _terms
        : [new Term("(", false), .. _terms, new Term(")", false)];

    private static ImapSearchQuery Key(string key) => new([new Term(key, false)]);

    private static ImapSearchQuery KeyWithString(string key, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new([new Term(key, false), new Term(text, true)]);
    }

    private static ImapSearchQuery KeyWithDate(string key, DateOnly date) =>
        new([new Term(key, false), new Term(date.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture), false)]);

    private static string RequireAtom(string keyword) =>
        keyword.Length > 0 && keyword.All(c => c is > ' ' and < '\u007f' and not ('(' or ')' or '{' or '"' or '\\' or ']' or '%' or '*'))
            ? keyword
            : throw new ArgumentException("Not a valid IMAP keyword.", nameof(keyword));

    private sealed record Term(string Text, bool IsString);
}
