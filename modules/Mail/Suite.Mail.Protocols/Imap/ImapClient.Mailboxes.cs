namespace Suite.Mail.Protocols.Imap;

public sealed partial class ImapClient
{
    private const string StatusItems = "MESSAGES UNSEEN UIDNEXT UIDVALIDITY";

    /// <summary>NAMESPACE (RFC 2342); without the extension, a personal namespace with an empty prefix.</summary>
    public async Task<ImapNamespaces> GetNamespacesAsync(CancellationToken cancellationToken = default)
    {
        if (!HasCapability("NAMESPACE"))
        {
            return new ImapNamespaces([new ImapNamespace(string.Empty, null)], [], []);
        }

        ImapNamespaces? result = null;
        await ExecuteAsync(new ImapCommand("NAMESPACE"), cancellationToken, untagged: response =>
        {
            if (!response.Is("NAMESPACE"))
            {
                return false;
            }

            result = ImapDataParser.ParseNamespace(response);
            return true;
        }).ConfigureAwait(false);
        return result ?? new ImapNamespaces([], [], []);
    }

    /// <summary>
    /// Lists mailboxes matching <paramref name="pattern"/> with their special use and, when <paramref name="withStatus"/>,
    /// their counters: in one round trip with LIST-STATUS (RFC 5819), otherwise with one STATUS per mailbox.
    /// </summary>
    public async Task<IReadOnlyList<ImapFolder>> ListAsync(string reference = "", string pattern = "*", bool withStatus = false, CancellationToken cancellationToken = default)
    {
        var extended = HasCapability("LIST-EXTENDED");
        var listStatus = withStatus && HasCapability("LIST-STATUS");
        var command = new ImapCommand("LIST").Mailbox(reference).Mailbox(pattern);
        var returns = new List<string>();
        if (extended && HasCapability("SPECIAL-USE"))
        {
            returns.Add("SPECIAL-USE");
        }

        if (listStatus)
        {
            returns.Add("STATUS (" + StatusItems + (HasCapability("CONDSTORE") ? " HIGHESTMODSEQ" : string.Empty) + ")");
        }

        if (returns.Count > 0)
        {
            command.Atom("RETURN (" + string.Join(' ', returns) + ")");
        }

        var folders = new List<ImapFolder>();
        var statuses = new Dictionary<string, ImapMailboxStatus>(StringComparer.Ordinal);
        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (response.Is("LIST") && ImapDataParser.ParseList(response) is { } folder)
            {
                folders.Add(folder);
                return true;
            }

            if (response.Is("STATUS") && ImapDataParser.ParseStatus(response) is { } status)
            {
                statuses[status.Mailbox] = status.Status;
                return true;
            }

            return false;
        }).ConfigureAwait(false);

        if (withStatus && !listStatus)
        {
            foreach (var folder in folders.Where(f => f.CanSelect))
            {
                statuses[folder.EncodedName] = await StatusCoreAsync(folder.EncodedName, cancellationToken).ConfigureAwait(false);
            }
        }

        return folders.Select(f => statuses.TryGetValue(f.EncodedName, out var s) ? f with { Status = s } : f).ToList();
    }

    /// <summary>STATUS of a mailbox that need not be selected.</summary>
    public Task<ImapMailboxStatus> StatusAsync(string mailbox, CancellationToken cancellationToken = default) =>
        StatusCoreAsync(ModifiedUtf7.Encode(mailbox), cancellationToken);

    public Task CreateMailboxAsync(string mailbox, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new ImapCommand("CREATE").Mailbox(mailbox), cancellationToken);

    public Task DeleteMailboxAsync(string mailbox, CancellationToken cancellationToken = default) =>
        ExecuteAsync(new ImapCommand("DELETE").Mailbox(mailbox), cancellationToken);

    /// <summary>SELECT a mailbox read-write. With <paramref name="resync"/> and QRESYNC, the server also reports what changed since.</summary>
    public Task<ImapSelectedMailbox> SelectAsync(string mailbox, ImapResyncState? resync = null, CancellationToken cancellationToken = default) =>
        OpenMailboxAsync("SELECT", mailbox, readOnly: false, resync, cancellationToken);

    /// <summary>EXAMINE: select read-only (reading does not set \Seen).</summary>
    public Task<ImapSelectedMailbox> ExamineAsync(string mailbox, ImapResyncState? resync = null, CancellationToken cancellationToken = default) =>
        OpenMailboxAsync("EXAMINE", mailbox, readOnly: true, resync, cancellationToken);

    /// <summary>Leaves the selected mailbox without expunging (UNSELECT), or with CLOSE when UNSELECT is missing.</summary>
    public async Task UnselectAsync(CancellationToken cancellationToken = default)
    {
        if (Selected is null)
        {
            return;
        }

        await ExecuteAsync(new ImapCommand(HasCapability("UNSELECT") ? "UNSELECT" : "CLOSE"), cancellationToken).ConfigureAwait(false);
        Selected = null;
    }

    private async Task<ImapMailboxStatus> StatusCoreAsync(string encodedMailbox, CancellationToken cancellationToken)
    {
        var command = new ImapCommand("STATUS").String(encodedMailbox)
            .Atom("(" + StatusItems + (HasCapability("CONDSTORE") ? " HIGHESTMODSEQ" : string.Empty) + ")");
        ImapMailboxStatus? result = null;
        await ExecuteAsync(command, cancellationToken, untagged: response =>
        {
            if (!response.Is("STATUS") || ImapDataParser.ParseStatus(response) is not { } status)
            {
                return false;
            }

            result = status.Status;
            return true;
        }).ConfigureAwait(false);
        return result ?? new ImapMailboxStatus(null, null, null, null, null, null);
    }

    private async Task<ImapSelectedMailbox> OpenMailboxAsync(string verb, string mailbox, bool readOnly, ImapResyncState? resync, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mailbox);
        var command = new ImapCommand(verb).Mailbox(mailbox);
        if (resync is not null && HasCapability("QRESYNC"))
        {
            if (!_enabled.Contains("QRESYNC"))
            {
                await EnableAsync(["QRESYNC"], cancellationToken).ConfigureAwait(false);
            }

            var known = resync.KnownUids is null ? string.Empty : " " + resync.KnownUids;
            command.Atom($"(QRESYNC ({resync.UidValidity} {resync.HighestModSeq}{known}))");
        }
        else if (HasCapability("CONDSTORE"))
        {
            command.Atom("(CONDSTORE)");
        }

        // The new state is current from the first untagged response on; a failed SELECT leaves none selected (RFC 3501 §6.3.1).
        var selected = new ImapSelectedMailbox(ModifiedUtf7.Encode(mailbox), readOnly);
        Selected = selected;
        try
        {
            await ExecuteAsync(command, cancellationToken, untagged: response =>
            {
                if (response.Is("FETCH") && response.Number is { } sequence)
                {
                    selected.Changed.Add(ImapDataParser.ParseFetch(sequence, response.Value(0)));
                    return true;
                }

                return false;
            }).ConfigureAwait(false);
        }
        catch
        {
            Selected = null;
            throw;
        }

        return selected;
    }
}
