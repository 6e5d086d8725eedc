namespace Suite.Kernel.Email;

/// <param name="Attachments">Optional files (e.g. an .ics invitation).</param>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? HtmlBody = null, IReadOnlyList<EmailAttachment>? Attachments = null);

public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>The one way out for mail until the mail module provides its own transport: SMTP in production,
/// a folder of .eml files in development and tests.</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
