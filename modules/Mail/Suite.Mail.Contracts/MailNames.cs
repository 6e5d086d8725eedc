using Suite.Kernel.Settings;

namespace Suite.Mail.Contracts;

/// <summary>How the portal talks to a mail server: the values of the TLS settings.</summary>
public static class MailTlsModes
{
    /// <summary>TLS from the first byte (IMAPS 993, SMTPS 465).</summary>
    public const string Implicit = "implicit";

    /// <summary>A plain connection upgraded with STARTTLS (IMAP 143, submission 587); refused if the server does not offer it.</summary>
    public const string StartTls = "starttls";

    /// <summary>No encryption: only for a server on the same machine.</summary>
    public const string None = "none";

    public static readonly IReadOnlyList<string> All = [Implicit, StartTls, None];
}

public static class MailNames
{
    public const string ModuleId = "mail";

    /// <summary>Each ministry points the webmail at its own servers; the installation may give a default.</summary>
    public static class Settings
    {
        private const SettingScopes Scopes = SettingScopes.Global | SettingScopes.Tenant;

        public static readonly Setting<string> ImapHost = Define.String(ModuleId, "mail.imap-host", null, Scopes, "Setting.ImapHost", "Setting.ImapHost.Help");

        public static readonly Setting<int> ImapPort = Define.Int(ModuleId, "mail.imap-port", 993, Scopes, "Setting.ImapPort", minimum: 1, maximum: 65535);

        public static readonly Setting<string> ImapTls = Define.Enum(ModuleId, "mail.imap-tls", MailTlsModes.Implicit, MailTlsModes.All, Scopes, "Setting.ImapTls", "Setting.Tls.Help");

        public static readonly Setting<string> SmtpHost = Define.String(ModuleId, "mail.smtp-host", null, Scopes, "Setting.SmtpHost", "Setting.SmtpHost.Help");

        public static readonly Setting<int> SmtpPort = Define.Int(ModuleId, "mail.smtp-port", 587, Scopes, "Setting.SmtpPort", minimum: 1, maximum: 65535);

        public static readonly Setting<string> SmtpTls = Define.Enum(ModuleId, "mail.smtp-tls", MailTlsModes.StartTls, MailTlsModes.All, Scopes, "Setting.SmtpTls", "Setting.Tls.Help");

        /// <summary>A ministry's internal servers often carry a certificate from a private authority: its SHA-1
        /// thumbprint (hex) is then trusted in addition to the system's authorities.</summary>
        public static readonly Setting<string> TrustedCertificate = Define.String(ModuleId, "mail.trusted-certificate", null, Scopes, "Setting.TrustedCertificate", "Setting.TrustedCertificate.Help");
    }
}
