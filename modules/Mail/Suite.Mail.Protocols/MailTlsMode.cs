namespace Suite.Mail.Protocols;

public enum MailTlsMode
{
    /// <summary>TLS from the first byte (IMAPS 993, SMTPS 465).</summary>
    Implicit,

    /// <summary>Plain connection upgraded with STARTTLS; fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>No encryption at all: loopback and tests only.</summary>
    None,
}
