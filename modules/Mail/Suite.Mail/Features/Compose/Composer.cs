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

/// <param name="FieldErrors">Field → resource key, for a form that must be corrected first.</param>
/// <param name="Failure">Why the servers did not take the message.</param>
/// <param name="SavedAsDraft">After a failure: a copy with its attachments waits in the Drafts folder.</param>
/// <param name="CopyNotSaved">Sent, but the copy could not be added to the Sent folder.</param>
/// <param name="Refused">Sent to the others, but these recipients were refused by the server (address and reason).</param>
internal sealed record SendOutcome(bool Sent, IReadOnlyDictionary<string, string> FieldErrors, MailUnavailableException? Failure = null, bool SavedAsDraft = false,
    bool CopyNotSaved = false, string? Refused = null)
{
    public static SendOutcome Invalid(IReadOnlyDictionary<string, string> errors) => new(false, errors);
}

/// <summary>Builds the MIME message, submits it over SMTP with the user's credentials, then keeps a copy in Sent
/// (or, when sending fails, in Drafts). The message is written once to a temporary file, never held in memory.</summary>
internal sealed class Composer(MailboxConnection connection, MailAccounts accounts, MailServers servers, Mailboxes mailboxes, ITenantContext me)
{
    public async Task<SendOutcome> SendAsync(Draft draft, IReadOnlyList<DraftFile> files, MimeMessage? replyTo = null, CancellationToken cancellationToken = default)
    {
        var errors = new Dictionary<string, string>();
        var to = Recipients(draft.To, "To", required: true, errors);
        var cc = Recipients(draft.Cc, "Cc", required: false, errors);
        if (errors.Count > 0)
            return SendOutcome.Invalid(errors);

        var credentials = await accounts.CredentialsAsync(cancellationToken);
        if (credentials is null)
            return new SendOutcome(false, errors, new MailUnavailableException(MailErrors.NoAccount));
        var builder = new MimeMessageBuilder
        {
            From = new MailboxAddress(me.DisplayName, credentials.Login),
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
        if (replyTo is not null)
            builder.SetReplyHeaders(replyTo);

        await using var message = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await builder.WriteToAsync(message, cancellationToken);

        string? refused;
        try
        {
            message.Position = 0;
            refused = await SubmitAsync(credentials, [.. to.Concat(cc).Select(a => a.Address)], message, cancellationToken);
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error) || error is ArgumentException)
        {
            // ArgumentException: an address the SMTP client refuses to put on the wire (e.g. a login that is no address).
            return new SendOutcome(false, errors, MailErrors.Explain(error), SavedAsDraft: await TryKeepAsync(ImapSpecialUse.Drafts, message, [ImapFlags.Draft, ImapFlags.Seen], cancellationToken));
        }
        var copied = await TryKeepAsync(ImapSpecialUse.Sent, message, [ImapFlags.Seen], cancellationToken);
        return new SendOutcome(true, errors, CopyNotSaved: !copied, Refused: refused);
    }

    /// <summary>Returns the recipients the server refused while accepting others (all refused throws).</summary>
    private async Task<string?> SubmitAsync(MailCredentials credentials, IReadOnlyList<string> recipients, Stream message, CancellationToken cancellationToken)
    {
        await using var smtp = await SmtpClient.ConnectAsync(await servers.SmtpAsync(cancellationToken), cancellationToken);
        await smtp.AuthenticateAsync(credentials.Login, credentials.Password, cancellationToken);
        var result = await smtp.SendAsync(credentials.Login, recipients, message, cancellationToken);
        await smtp.QuitAsync(cancellationToken);
        if (result.Accepted.Count == 0)
            throw new SmtpRecipientsRejectedException(result.Rejected);
        return result.Rejected.Count == 0 ? null : string.Join(", ", result.Rejected.Select(r => $"{r.Address} ({r.Reply.Code} {r.Reply.Text})"));
    }

    /// <summary>Appends the written message to the special folder; false when there is none or the server refuses.</summary>
    private async Task<bool> TryKeepAsync(ImapSpecialUse use, FileStream message, IReadOnlyList<string> flags, CancellationToken cancellationToken)
    {
        try
        {
            if (await mailboxes.SpecialAsync(use, cancellationToken) is not { } folder)
                return false;
            var imap = await connection.OpenAsync(cancellationToken);
            message.Position = 0;
            await imap.AppendAsync(folder.Name, message, flags: flags, cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            return false;
        }
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
