using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Folders;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Features.Messages;

/// <summary>What the reader does to one message: read/unread, star, move, delete (to the Trash, or for good from it).</summary>
internal sealed class MessageActions(MailboxConnection connection, Mailboxes mailboxes)
{
    public async Task SetFlagAsync(string folder, uint uid, string flag, bool on, CancellationToken cancellationToken = default)
    {
        var imap = await SelectAsync(folder, cancellationToken);
        await imap.UidStoreFlagsAsync([uid], on ? ImapStoreAction.Add : ImapStoreAction.Remove, [flag], cancellationToken: cancellationToken);
    }

    /// <summary>False when <paramref name="target"/> is not one of the user's folders.</summary>
    public async Task<bool> MoveAsync(string folder, uint uid, string target, CancellationToken cancellationToken = default)
    {
        if (target == folder || await mailboxes.FindAsync(target, cancellationToken) is null)
            return false;
        var imap = await SelectAsync(folder, cancellationToken);
        await imap.UidMoveAsync([uid], target, cancellationToken);
        return true;
    }

    /// <summary>Moves the message to the Archive folder (created if missing); false when it already is there.</summary>
    public async Task<bool> ArchiveAsync(string folder, uint uid, CancellationToken cancellationToken = default)
    {
        var archive = await mailboxes.ArchiveAsync(cancellationToken);
        if (archive.Name == folder)
            return false;
        var imap = await SelectAsync(folder, cancellationToken);
        await imap.UidMoveAsync([uid], archive.Name, cancellationToken);
        return true;
    }

    /// <summary>Moves the message to the Trash; in the Trash (or without one), deletes it for good.</summary>
    public async Task DeleteAsync(string folder, uint uid, CancellationToken cancellationToken = default)
    {
        var trash = await mailboxes.SpecialAsync(ImapSpecialUse.Trash, cancellationToken);
        var imap = await SelectAsync(folder, cancellationToken);
        if (trash is not null && trash.Name != folder)
        {
            await imap.UidMoveAsync([uid], trash.Name, cancellationToken);
            return;
        }
        await imap.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Deleted], cancellationToken: cancellationToken);
        await imap.ExpungeAsync(cancellationToken);
    }

    private async Task<ImapClient> SelectAsync(string folder, CancellationToken cancellationToken)
    {
        var imap = await connection.OpenAsync(cancellationToken);
        await imap.SelectAsync(folder, cancellationToken: cancellationToken);
        return imap;
    }
}
