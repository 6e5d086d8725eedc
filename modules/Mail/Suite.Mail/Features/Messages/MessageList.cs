using Suite.Mail.Features.Connection;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Features.Messages;

internal sealed record MessageRow(uint Uid, string From, string To, string Subject, DateTimeOffset? Date, bool Unread, bool Starred, bool HasAttachments);

internal sealed record MessagePage(IReadOnlyList<MessageRow> Rows, int Page, int PageCount, int Total);

/// <summary>One page of a folder, newest first (by UID, the order messages arrived in the folder).</summary>
internal sealed class MessageList(MailboxConnection connection)
{
    public const int PageSize = 25;

    public async Task<MessagePage> PageAsync(string folder, int page, CancellationToken cancellationToken = default)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.ExamineAsync(folder, cancellationToken: cancellationToken);
        var uids = (await imap.UidSearchAsync(ImapSearchQuery.All, cancellationToken)).Uids.OrderDescending().ToList();
        var pageCount = Math.Max(1, (uids.Count + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var wanted = uids.Skip((page - 1) * PageSize).Take(PageSize).ToList();
        if (wanted.Count == 0)
            return new MessagePage([], page, pageCount, 0);
        var summaries = await imap.UidFetchAsync(wanted, ImapFetchItems.Summary | ImapFetchItems.BodyStructure, cancellationToken: cancellationToken);
        var rows = summaries.Where(s => s.Uid is not null).OrderByDescending(s => s.Uid).Select(s => new MessageRow(
            s.Uid!.Value,
            Sender(s.Envelope),
            string.Join(", ", s.Envelope?.To.Mailboxes.Select(Display) ?? []),
            s.Envelope?.Subject ?? "",
            s.Envelope?.Date ?? s.InternalDate,
            !s.HasFlag(ImapFlags.Seen),
            s.HasFlag(ImapFlags.Flagged),
            s.Body?.Leaves().Any(p => p.IsAttachment) == true)).ToList();
        return new MessagePage(rows, page, pageCount, uids.Count);
    }

    public static string Sender(ImapEnvelope? envelope) =>
        envelope?.From.Mailboxes.FirstOrDefault() is { } from ? Display(from) : "";

    private static string Display(MailboxAddress address) => string.IsNullOrWhiteSpace(address.Name) ? address.Address : address.Name;

    public static string Describe(AddressList addresses) => string.Join(", ", addresses.Mailboxes.Select(m => m.ToString()));
}
