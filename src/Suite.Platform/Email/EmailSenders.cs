using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Email;
using Suite.Kernel.Settings;

namespace Suite.Platform.Email;

/// <summary>Development and test sink: each message becomes an .eml-like file in a folder, and a log line.</summary>
internal sealed class FolderEmailSender(string folder, ILogger<FolderEmailSender> logger) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{DateTime.UtcNow:yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml");
        var content = $"To: {message.To}\r\nSubject: {message.Subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{message.TextBody}";
        await File.WriteAllTextAsync(path, content, cancellationToken);
        logger.LogInformation("Mail to {To} ({Subject}) written to {Path}", message.To, message.Subject, path);
    }
}

/// <summary>Production: SMTP submission with the installation's relay (Suite:Email:Smtp:*), password from the
/// encrypted "platform.smtp-password" setting or the environment.</summary>
internal sealed class SmtpEmailSender(IConfiguration configuration, ISettingProvider settings) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var section = configuration.GetSection("Suite:Email:Smtp");
        using var client = new SmtpClient(section["Host"] ?? "localhost", section.GetValue("Port", 587))
        {
            EnableSsl = section.GetValue("StartTls", true),
        };
        if (section["UserName"] is { Length: > 0 } user)
        {
            var password = await settings.GetAsync(PlatformSettings.SmtpPassword, new SettingTarget(null, null, null), cancellationToken);
            client.Credentials = new NetworkCredential(user, password.Length > 0 ? password : section["Password"]);
        }
        using var mail = new MailMessage(section["From"] ?? "suite@localhost", message.To, message.Subject, message.TextBody);
        if (message.HtmlBody is not null)
            mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.HtmlBody, System.Text.Encoding.UTF8, "text/html"));
        foreach (var attachment in message.Attachments ?? [])
            mail.Attachments.Add(new Attachment(new MemoryStream(attachment.Content), attachment.FileName, attachment.ContentType));
        await client.SendMailAsync(mail, cancellationToken);
    }
}
