using Suite.Mail.Features.Connection;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Folders;

/// <param name="Name">The server's (encoded) name: what URLs and commands carry.</param>
/// <param name="DisplayName">Decoded name, for folders without a special use.</param>
/// <param name="SpecialUse">Inbox, Sent, Trash…: shown under a translated name.</param>
public sealed record MailFolder(string Name, string DisplayName, ImapSpecialUse SpecialUse, uint Messages, uint Unread);

/// <summary>The user's folders with their counters, the special ones first in a familiar order.</summary>
internal sealed class Mailboxes(MailboxConnection connection)
{
    public const string Inbox = "INBOX";

    private static readonly ImapSpecialUse[] Order =
        [ImapSpecialUse.Inbox, ImapSpecialUse.Drafts, ImapSpecialUse.Sent, ImapSpecialUse.Archive, ImapSpecialUse.Flagged, ImapSpecialUse.Junk, ImapSpecialUse.Trash];

    private IReadOnlyList<MailFolder>? _folders;

    public async Task<IReadOnlyList<MailFolder>> ListAsync(CancellationToken cancellationToken = default)
    {
        if (_folders is not null)
            return _folders;
        var imap = await connection.OpenAsync(cancellationToken);
        var listed = await imap.ListAsync(withStatus: true, cancellationToken: cancellationToken);
        _folders = [.. listed.Where(f => f.CanSelect && f.SpecialUse != ImapSpecialUse.All)
            .Select(f => new MailFolder(f.EncodedName, f.Name, f.SpecialUse, f.Status?.Messages ?? 0, f.Status?.Unseen ?? 0))
            .OrderBy(f => f.SpecialUse == ImapSpecialUse.None ? Order.Length : Array.IndexOf(Order, f.SpecialUse))
            .ThenBy(f => f.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
        return _folders;
    }

    /// <summary>The Archive folder, created (plainly named "Archive") when the mailbox has none.</summary>
    public async Task<MailFolder> ArchiveAsync(CancellationToken cancellationToken = default)
    {
        if (await SpecialAsync(ImapSpecialUse.Archive, cancellationToken) is { } archive)
            return archive;
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.CreateMailboxAsync(ArchiveName, cancellationToken);
        _folders = null;
        return await SpecialAsync(ImapSpecialUse.Archive, cancellationToken)
            ?? throw new MailUnavailableException(MailErrors.Server, ArchiveName);
    }

    public const string ArchiveName = "Archive";

    public async Task<MailFolder?> FindAsync(string? name, CancellationToken cancellationToken = default) =>
        (await ListAsync(cancellationToken)).FirstOrDefault(f => f.Name == name);

    /// <summary>The folder playing <paramref name="use"/>, or one named like it when the server has no special-use flags.</summary>
    public async Task<MailFolder?> SpecialAsync(ImapSpecialUse use, CancellationToken cancellationToken = default)
    {
        var folders = await ListAsync(cancellationToken);
        return folders.FirstOrDefault(f => f.SpecialUse == use)
            ?? folders.FirstOrDefault(f => string.Equals(f.DisplayName, use.ToString(), StringComparison.OrdinalIgnoreCase));
    }
}
