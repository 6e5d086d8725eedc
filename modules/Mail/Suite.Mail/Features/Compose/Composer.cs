using Suite.Kernel.Tenancy;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Folders;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Features.Compose;

/// <summary>What the person typed, kept as typed so a failed send loses nothing.</summary>
internal sealed record Draft(string To, string Cc, string Subject, string Body, string? HtmlBody = null);

/// <summary>A file to attach, opened (and disposed) each time the message is written.</summary>
internal sealed record DraftFile(string FileName, string ContentType, Func<Stream> Open);

/// <summary>The In-Reply-To and References a message carries: those of a reply, or those a saved draft kept.</summary>
internal sealed record Threading(string? InReplyTo, IReadOnlyList<string> References)
{
    public static Threading ReplyTo(MimeMessage original)
    {
        var references = original.References.Count > 0 ? [.. original.References] : original.InReplyTo is { } parent ? new List<string> { parent } : [];
        if (original.MessageId is { } id)
            references.Add(id);
        return new Threading(original.MessageId, references);
    }

    public static Threading? KeptBy(MimeMessage draft) =>
        draft.InReplyTo is null && draft.References.Count == 0 ? null : new Threading(draft.InReplyTo, draft.References);
}

/// <param name="FieldErrors">Field → resource key, for a form that must be corrected first.</param>
/// <param name="Failure">Why the servers did not take the message.</param>
/// <param name="SavedAsDraft">After a failure: a copy with its attachments waits in the Drafts folder.</param>
/// <param name="CopyNotSaved">Sent, but the copy could not be added to the Sent folder.</param>
/// <param name="Refused">Sent to the others, but these recipients were refused by the server (address and reason).</param>
/// <param name="DraftUid">Where the kept draft now is in the Drafts folder (after a failure, or a draft saved on purpose).</param>
internal sealed record SendOutcome(bool Sent, IReadOnlyDictionary<string, string> FieldErrors, MailUnavailableException? Failure = null, bool SavedAsDraft = false,
    bool CopyNotSaved = false, string? Refused = null, uint? DraftUid = null)
{
    public static SendOutcome Invalid(IReadOnlyDictionary<string, string> errors) => new(false, errors);
}

/// <summary>Builds the MIME message, submits it over SMTP with the user's credentials, then keeps a copy in Sent
/// (or, when sending fails, in Drafts). The message is written once to a temporary file, never held in memory.</summary>
internal sealed class Composer(MailboxConnection connection, MailAccounts accounts, MailServers servers, Mailboxes mailboxes, ITenantContext me)
{
    /// <summary>Sends the message; a draft it was written from (<paramref name="draftUid"/>) is removed from Drafts once
    /// sent, and replaced by the new copy when sending fails.</summary>
    public async Task<SendOutcome> SendAsync(Draft draft, IReadOnlyList<DraftFile> files, Threading? threading = null, uint? draftUid = null, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var to = Recipients(draft.To, "To", required: true, errors);
        var cc = Recipients(draft.Cc, "Cc", required: false, errors);
        if (errors.Count > 0)
            return SendOutcome.Invalid(errors);

        var credentials = await accounts.CredentialsAsync(cancellationToken);
        if (credentials is null)
            return new SendOutcome(false, errors, new MailUnavailableException(MailErrors.NoAccount));
        await using var message = await WriteAsync(draft, files, to, cc, credentials.Sender, threading, cancellationToken);

        string? refused;
        try
        {
            message.Position = 0;
            refused = await SubmitAsync(credentials, [.. to.Concat(cc).Select(a => a.Address)], message, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error) || error is ArgumentException)
        {
            // ArgumentException: an address the SMTP client refuses to put on the wire (e.g. a login that is no address).
            var kept = await TryKeepDraftAsync(message, draftUid, cancellationToken);
            return new SendOutcome(false, errors, MailErrors.Explain(error), SavedAsDraft: kept is not null, DraftUid: kept ?? draftUid);
        }
        var copied = await TryKeepAsync(ImapSpecialUse.Sent, message, [ImapFlags.Seen], cancellationToken) is not null;
        if (draftUid is { } sentDraft)
            await TryRemoveDraftAsync(sentDraft, cancellationToken);
        return new SendOutcome(true, errors, CopyNotSaved: !copied, Refused: refused);
    }

    /// <summary>Saves what was typed (and its files) in the Drafts folder, replacing <paramref name="draftUid"/>.
    /// Recipients may be missing, but not malformed.</summary>
    public async Task<SendOutcome> SaveDraftAsync(Draft draft, IReadOnlyList<DraftFile> files, Threading? threading = null, uint? draftUid = null, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var to = Recipients(draft.To, "To", required: false, errors);
        var cc = Recipients(draft.Cc, "Cc", required: false, errors);
        if (errors.Count > 0)
            return SendOutcome.Invalid(errors);
        var login = await accounts.LoginAsync(cancellationToken);
        if (login is null)
            return new SendOutcome(false, errors, new MailUnavailableException(MailErrors.NoAccount));
        await using var message = await WriteAsync(draft, files, to, cc, login, threading, cancellationToken);
        if (await mailboxes.SpecialAsync(ImapSpecialUse.Drafts, cancellationToken) is null)
            return new SendOutcome(false, errors, new MailUnavailableException(MailErrors.NoDrafts), DraftUid: draftUid);
        try
        {
            var uid = await KeepAsync(ImapSpecialUse.Drafts, message, [ImapFlags.Draft, ImapFlags.Seen], cancellationToken);
            if (draftUid is { } previous)
                await TryRemoveDraftAsync(previous, cancellationToken);
            return new SendOutcome(false, errors, SavedAsDraft: true, DraftUid: uid);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            return new SendOutcome(false, errors, MailErrors.Explain(error), DraftUid: draftUid);
        }
    }

    /// <summary>Writes the MIME message once to a temporary file (deleted when disposed).</summary>
    private async Task<FileStream> WriteAsync(Draft draft, IReadOnlyList<DraftFile> files, List<MailboxAddress> to, List<MailboxAddress> cc, string login, Threading? threading, CancellationToken cancellationToken)
    {
        var builder = new MimeMessageBuilder
        {
            From = new MailboxAddress(me.DisplayName, login),
            Subject = draft.Subject.Trim(),
            TextBody = draft.Body,
            HtmlBody = draft.HtmlBody,
        };
        foreach (var address in to)
            builder.To.Add(address);
        foreach (var address in cc)
            builder.Cc.Add(address);
        foreach (var file in files)
            builder.AddAttachment(file.FileName, file.ContentType, file.Open);
        if (threading is not null)
        {
            builder.InReplyTo = threading.InReplyTo;
            foreach (var reference in threading.References)
                builder.References.Add(reference);
        }
        var message = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            await builder.WriteToAsync(message, cancellationToken);
            return message;
        }
        catch
        {
            await message.DisposeAsync();
            throw;
        }
    }

    private async Task<uint?> TryKeepDraftAsync(FileStream message, uint? previous, CancellationToken cancellationToken)
    {
        var kept = await TryKeepAsync(ImapSpecialUse.Drafts, message, [ImapFlags.Draft, ImapFlags.Seen], cancellationToken);
        if (kept is not null && previous is { } old)
            await TryRemoveDraftAsync(old, cancellationToken);
        return kept;
    }

    /// <summary>Deletes an earlier version of the draft; one left behind is only clutter, never a loss.</summary>
    private async Task TryRemoveDraftAsync(uint uid, CancellationToken cancellationToken)
    {
        if (uid == 0)
            return;
        try
        {
            if (await mailboxes.SpecialAsync(ImapSpecialUse.Drafts, cancellationToken) is not { } drafts)
                return;
            var imap = await connection.OpenAsync(cancellationToken);
            await imap.SelectAsync(drafts.Name, cancellationToken: cancellationToken);
            await imap.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Deleted], cancellationToken: cancellationToken);
            await imap.ExpungeAsync(cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
        }
    }

    /// <summary>Returns the recipients the server refused while accepting others (all refused throws).</summary>
    private async Task<string?> SubmitAsync(MailCredentials credentials, IReadOnlyList<string> recipients, Stream message, CancellationToken cancellationToken)
    {
        await using var smtp = await SmtpClient.ConnectAsync(await servers.SmtpAsync(cancellationToken), cancellationToken);
        await smtp.AuthenticateAsync(credentials.Login, credentials.Password, cancellationToken);
        var result = await smtp.SendAsync(credentials.Sender, recipients, message, cancellationToken);
        await smtp.QuitAsync(cancellationToken);
        if (result.Accepted.Count == 0)
            throw new SmtpRecipientsRejectedException(result.Rejected);
        return result.Rejected.Count == 0 ? null : string.Join(", ", result.Rejected.Select(r => $"{r.Address} ({r.Reply.Code} {r.Reply.Text})"));
    }

    /// <summary>Appends the written message to the special folder: its UID (0 when the server does not say), or null
    /// when there is no such folder or the server refuses.</summary>
    private async Task<uint?> TryKeepAsync(ImapSpecialUse use, FileStream message, IReadOnlyList<string> flags, CancellationToken cancellationToken)
    {
        try
        {
            return await KeepAsync(use, message, flags, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            return null;
        }
    }

    private async Task<uint?> KeepAsync(ImapSpecialUse use, FileStream message, IReadOnlyList<string> flags, CancellationToken cancellationToken)
    {
        if (await mailboxes.SpecialAsync(use, cancellationToken) is not { } folder)
            return null;
        var imap = await connection.OpenAsync(cancellationToken);
        message.Position = 0;
        return await imap.AppendAsync(folder.Name, message, flags: flags, cancellationToken: cancellationToken) ?? 0;
    }

    private static List<MailboxAddress> Recipients(string text, string field, bool required, Dictionary<string, string> errors)
    {
        var addresses = AddressList.Parse(text).Mailboxes.ToList();
        if (required && addresses.Count == 0)
            errors[field] = "Compose.Error.RecipientRequired";
        else if (addresses.Any(a => a.Domain.Length == 0 || a.LocalPart.Length == 0) || (addresses.Count == 0 && !string.IsNullOrWhiteSpace(text)))
            errors[field] = "Compose.Error.RecipientInvalid";
        return addresses;
    }
}
