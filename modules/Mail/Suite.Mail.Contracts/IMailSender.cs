namespace Suite.Mail.Contracts;

/// <param name="To">Recipient addresses (at least one).</param>
/// <param name="Attachments">Optional files, e.g. a meeting invitation (text/calendar).</param>
public sealed record OutgoingMail(
    IReadOnlyList<string> To,
    string Subject,
    string TextBody,
    string? HtmlBody = null,
    IReadOnlyList<OutgoingAttachment>? Attachments = null,
    IReadOnlyList<string>? Cc = null);

public sealed record OutgoingAttachment(string FileName, string ContentType, byte[] Content);

/// <param name="Error">Why nothing was sent, in the current user's language (wrong password, server unreachable, a
/// recipient refused by the server…); null when the mail left.</param>
public sealed record MailSendResult(bool Sent, string? Error)
{
    public static MailSendResult Success { get; } = new(true, null);
}

/// <summary>Sends mail from the current user's own mailbox (their ministry's SMTP server, a copy kept in their Sent
/// folder), for other modules: meeting invitations, shares. Answers a failure instead of throwing.</summary>
public interface IMailSender
{
    Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}
