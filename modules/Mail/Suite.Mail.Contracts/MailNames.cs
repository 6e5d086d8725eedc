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

/// <summary>How the webmail signs in to a person's mailbox: the values of <see cref="MailNames.Settings.AuthMode"/>.</summary>
public static class MailAuthModes
{
    /// <summary>Each person saves their own mailbox password (kept encrypted).</summary>
    public const string PerUser = "user";

    /// <summary>The ministry's master user (Dovecot <c>person*master</c>) opens every member's mailbox; nobody enters a password.</summary>
    public const string Master = "master";

    public static readonly IReadOnlyList<string> All = [PerUser, Master];
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
        /// <summary>Per-user passwords, or the ministry's master user (decided by the ministry's administrator).</summary>
        public static readonly Setting<string> AuthMode = Define.Enum(ModuleId, "mail.auth-mode", MailAuthModes.PerUser, MailAuthModes.All, Scopes, "Setting.AuthMode", "Setting.AuthMode.Help");

        /// <summary>The master user's name; the webmail signs in as <c>address*name</c>.</summary>
        public static readonly Setting<string> MasterUser = Define.String(ModuleId, "mail.master-user", null, Scopes, "Setting.MasterUser", "Setting.MasterUser.Help");

        /// <summary>The master user's password, encrypted like every secret setting.</summary>
        public static readonly Setting<string> MasterPassword = Define.Secret(ModuleId, "mail.master-password", Scopes, "Setting.MasterPassword", "Setting.MasterPassword.Help");

        public static readonly Setting<string> TrustedCertificate = Define.String(ModuleId, "mail.trusted-certificate", null, Scopes, "Setting.TrustedCertificate", "Setting.TrustedCertificate.Help");
    }
}
