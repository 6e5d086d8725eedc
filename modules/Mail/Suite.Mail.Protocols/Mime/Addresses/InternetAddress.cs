namespace Suite.Mail.Protocols.Mime;

/// <summary>An entry of an address header: a <see cref="MailboxAddress"/> or a <see cref="GroupAddress"/> (RFC 5322 §3.4).</summary>
public abstract class InternetAddress
{
    private protected InternetAddress(string? name) => Name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();

    /// <summary>The decoded display name, or null.</summary>
    public string? Name { get; }
}
