using Suite.Mail.Features.Connection;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Features.Messages;

/// <param name="Depth">0 for a message that starts a conversation on this page, 1 and more for the replies under it.</param>
/// <param name="Thread">UID of the first message of its conversation on this page.</param>
internal sealed record MessageRow(uint Uid, string From, string To, string Subject, DateTimeOffset? Date, bool Unread, bool Starred, bool HasAttachments,
    int Depth = 0, uint Thread = 0);

internal sealed record MessagePage(IReadOnlyList<MessageRow> Rows, int Page, int PageCount, int Total);

/// <summary>One page of a folder, optionally only the messages matching a search (over subject, sender and body).
/// Where the server threads (THREAD=REFERENCES, RFC 5256), a page is <see cref="PageSize"/> whole conversations, the
/// most recently active first (highest UID, the order messages arrived in the folder): a reply stays under the message
/// it answers whatever page the pair would fall on by date. Only the page's messages are fetched. Otherwise a page is
/// <see cref="PageSize"/> messages, newest first (UID SEARCH, ESEARCH where offered), grouped into conversations by
/// In-Reply-To within the page.</summary>
internal sealed class MessageList(MailboxConnection connection)
{
    public const int PageSize = 25;

    /// <summary>Deeper replies are shown at this depth: the page stays readable on a phone.</summary>
    public const int MaxDepth = 4;

    public async Task<MessagePage> PageAsync(string folder, int page, string? search = null, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.ExamineAsync(folder, cancellationToken: cancellationToken);
        var query = string.IsNullOrWhiteSpace(search) ? ImapSearchQuery.All : Matching(search.Trim());
        if (imap.CanThread(ImapClient.ThreadReferences))
            return await ThreadedPageAsync(imap, query, page, cancellationToken);

        var uids = (await imap.UidSearchAsync(query, cancellationToken)).Uids.OrderDescending().ToList();
        var pageCount = Math.Max(1, (uids.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var wanted = uids.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        if (wanted.Count == 0)
            return new MessagePage([], page, pageCount, 0);
        var summaries = await imap.UidFetchAsync(wanted, ImapFetchItems.Summary | ImapFetchItems.BodyStructure, cancellationToken: cancellationToken);
        return new MessagePage(Threads(summaries.Where(s => s.Uid is not null).ToList()), page, pageCount, uids.Count);
    }

    /// <summary>A page of whole conversations as the server threads them; the search narrows the messages threaded.</summary>
    private static async Task<MessagePage> ThreadedPageAsync(ImapClient imap, ImapSearchQuery query, int page, CancellationToken cancellationToken)
    {
        var conversations = (await imap.UidThreadAsync(query, ImapClient.ThreadReferences, cancellationToken))
            .Select(thread => thread.Flatten().ToList())
            .Where(messages => messages.Count > 0)
            .Select(messages => (Messages: messages, Latest: messages.Max(m => m.Uid)))
            .OrderByDescending(conversation => conversation.Latest)
            .ToList();
        var total = conversations.Sum(c => c.Messages.Count);
        var pageCount = Math.Max(1, (conversations.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var wanted = conversations.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        if (wanted.Count == 0)
            return new MessagePage([], page, pageCount, total);
        var summaries = (await imap.UidFetchAsync(wanted.SelectMany(c => c.Messages.Select(m => m.Uid)), ImapFetchItems.Summary | ImapFetchItems.BodyStructure, cancellationToken: cancellationToken))
            .Where(s => s.Uid is not null)
            .GroupBy(s => s.Uid!.Value)
            .ToDictionary(g => g.Key, g => g.First());
        var rows = new List<MessageRow>();
        foreach (var conversation in wanted)
        {
            // A message expunged between THREAD and FETCH is left out; its replies keep their place.
            var present = conversation.Messages.Where(m => summaries.ContainsKey(m.Uid)).ToList();
            if (present.Count == 0)
                continue;
            var thread = present[0].Uid;
            rows.AddRange(present.Select(m => Row(summaries[m.Uid], Math.Min(m.Depth, MaxDepth), thread)));
        }
        return new MessagePage(rows, page, pageCount, total);
    }

    /// <summary>Subject, sender or body containing <paramref name="text"/> (the server compares without case).</summary>
    public static ImapSearchQuery Matching(string text) =>
        ImapSearchQuery.Or(ImapSearchQuery.Subject(text), ImapSearchQuery.Or(ImapSearchQuery.From(text), ImapSearchQuery.Body(text)));

    /// <summary>Conversations, the most recently active first; in each, replies under the message they answer, oldest first.</summary>
    internal static List<MessageRow> Threads(IReadOnlyList<ImapMessageSummary> summaries)
    {
        var byId = new Dictionary<string, ImapMessageSummary>(StringComparer.Ordinal);
        foreach (var summary in summaries)
        {
            if (Id(summary.Envelope?.MessageId) is { } id)
                byId.TryAdd(id, summary);
        }
        var children = new Dictionary<uint, List<ImapMessageSummary>>();
        var roots = new List<ImapMessageSummary>();
        foreach (var summary in summaries)
        {
            var parent = Id(summary.Envelope?.InReplyTo) is { } parentId && byId.TryGetValue(parentId, out var found) && found.Uid != summary.Uid ? found : null;
            if (parent is null || CreatesCycle(summary, parent, byId))
                roots.Add(summary);
            else
                (children.TryGetValue(parent.Uid!.Value, out var list) ? list : children[parent.Uid!.Value] = []).Add(summary);
        }

        uint Latest(ImapMessageSummary message) =>
            Math.Max(message.Uid!.Value, children.TryGetValue(message.Uid!.Value, out var replies) ? replies.Max(Latest) : 0);

        var rows = new List<MessageRow>();
        void Add(ImapMessageSummary message, int depth, uint thread)
        {
            rows.Add(Row(message, Math.Min(depth, MaxDepth), thread));
            if (children.TryGetValue(message.Uid!.Value, out var replies))
            {
                foreach (var reply in replies.OrderBy(r => r.Uid))
                    Add(reply, depth + 1, thread);
            }
        }
        foreach (var root in roots.OrderByDescending(Latest))
            Add(root, 0, root.Uid!.Value);
        return rows;
    }

    /// <summary>True when following In-Reply-To up from <paramref name="parent"/> comes back to <paramref name="message"/>.</summary>
    private static bool CreatesCycle(ImapMessageSummary message, ImapMessageSummary parent, Dictionary<string, ImapMessageSummary> byId)
    {
        var seen = new HashSet<uint>();
        for (var current = parent; current is not null; current = Id(current.Envelope?.InReplyTo) is { } up && byId.TryGetValue(up, out var next) ? next : null)
        {
            if (current.Uid == message.Uid || !seen.Add(current.Uid!.Value))
                return true;
        }
        return false;
    }

    private static string? Id(string? raw) =>
        raw?.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim('<', '>') is { Length: > 0 } id ? id : null;

    private static MessageRow Row(ImapMessageSummary s, int depth, uint thread) => new(
        s.Uid!.Value,
        Sender(s.Envelope),
        string.Join(", ", s.Envelope?.To.Mailboxes.Select(Display) ?? []),
        s.Envelope?.Subject ?? "",
        s.Envelope?.Date ?? s.InternalDate,
        !s.HasFlag(ImapFlags.Seen),
        s.HasFlag(ImapFlags.Flagged),
        s.Body?.Leaves().Any(p => p.IsAttachment) == true,
        depth,
        thread);

    public static string Sender(ImapEnvelope? envelope) =>
        envelope?.From.Mailboxes.FirstOrDefault() is { } from ? Display(from) : "";

    private static string Display(MailboxAddress address) => string.IsNullOrWhiteSpace(address.Name) ? address.Address : address.Name;

    public static string Describe(AddressList addresses) => string.Join(", ", addresses.Mailboxes.Select(m => m.ToString()));
}
