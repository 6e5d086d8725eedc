using System.Net.Security;

namespace Suite.Mail.Protocols.Smtp;

public sealed class SmtpClientOptions
{
    public required string Host { get; init; }

    /// <summary>587 (submission, STARTTLS) by default; 465 goes with <see cref="MailTlsMode.Implicit"/>.</summary>
    public int Port { get; init; } = 587;

    public MailTlsMode Tls { get; init; } = MailTlsMode.StartTls;

    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    public string? TlsServerName { get; init; }

    /// <summary>Name announced in EHLO.</summary>
    public string ClientDomain { get; init; } = "localhost";

    /// <summary>Longest wait for a reply (the final reply after DATA may take long on busy servers: RFC 5321 suggests 10 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}
