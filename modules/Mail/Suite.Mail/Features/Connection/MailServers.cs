using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Suite.Kernel.Settings;
using Suite.Mail.Contracts;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Features.Connection;

/// <summary>The current ministry's IMAP and SMTP servers, read from the settings.</summary>
internal sealed class MailServers(ISettingProvider settings)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public async Task<ImapClientOptions> ImapAsync(CancellationToken cancellationToken = default)
    {
        var host = await settings.GetAsync(MailNames.Settings.ImapHost, cancellationToken);
        if (string.IsNullOrWhiteSpace(host))
            throw new MailUnavailableException(MailErrors.NotConfigured);
        return new ImapClientOptions
        {
            Host = host.Trim(),
            Port = await settings.GetAsync(MailNames.Settings.ImapPort, cancellationToken),
            Tls = TlsMode(await settings.GetAsync(MailNames.Settings.ImapTls, cancellationToken)),
            CertificateValidation = await ValidationAsync(cancellationToken),
            Timeout = Timeout,
        };
    }

    public async Task<SmtpClientOptions> SmtpAsync(CancellationToken cancellationToken = default)
    {
        var host = await settings.GetAsync(MailNames.Settings.SmtpHost, cancellationToken);
        if (string.IsNullOrWhiteSpace(host))
            throw new MailUnavailableException(MailErrors.NotConfigured);
        return new SmtpClientOptions
        {
            Host = host.Trim(),
            Port = await settings.GetAsync(MailNames.Settings.SmtpPort, cancellationToken),
            Tls = TlsMode(await settings.GetAsync(MailNames.Settings.SmtpTls, cancellationToken)),
            CertificateValidation = await ValidationAsync(cancellationToken),
            ClientDomain = "suite.webmail",
            Timeout = Timeout,
        };
    }

    private static MailTlsMode TlsMode(string value) => value switch
    {
        MailTlsModes.StartTls => MailTlsMode.StartTls,
        MailTlsModes.None => MailTlsMode.None,
        _ => MailTlsMode.Implicit,
    };

    /// <summary>The system's authorities, plus the one certificate a ministry pins for its internal servers.</summary>
    private async Task<RemoteCertificateValidationCallback?> ValidationAsync(CancellationToken cancellationToken)
    {
        var pinned = (await settings.GetAsync(MailNames.Settings.TrustedCertificate, cancellationToken)).Replace(":", "", StringComparison.Ordinal).Trim();
        if (pinned.Length == 0)
            return null;
        return (_, certificate, _, errors) => errors == SslPolicyErrors.None
            || (certificate is not null && string.Equals(new X509Certificate2(certificate).Thumbprint, pinned, StringComparison.OrdinalIgnoreCase));
    }
}
