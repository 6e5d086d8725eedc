using System.Net.Security;

namespace Suite.Mail.Protocols.Imap;

public sealed class ImapClientOptions
{
    public required string Host { get; init; }

    public int Port { get; init; } = 993;

    public MailTlsMode Tls { get; init; } = MailTlsMode.Implicit;

    /// <summary>Decides whether to trust the server certificate; null uses the system's validation.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; init; }

    /// <summary>Name checked against the certificate; defaults to <see cref="Host"/>.</summary>
    public string? TlsServerName { get; init; }

    /// <summary>Longest wait for the server to answer (or to accept bytes) before the connection is declared dead.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>IDLE is restarted this often, below the 30 minutes after which servers may drop an idle client (RFC 2177).</summary>
    public TimeSpan IdleRestartInterval { get; init; } = TimeSpan.FromMinutes(25);

    /// <summary>Told the name of each step of opening a session as it ends ("tcp", "greeting", "starttls", "tls",
    /// "capability", "login"): the benchmark's phase breakdown. Null everywhere else.</summary>
    internal Action<string>? PhaseCompleted { get; init; }
}
