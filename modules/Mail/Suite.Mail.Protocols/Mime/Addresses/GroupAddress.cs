namespace Suite.Mail.Protocols.Mime;

/// <summary>A named group of mailboxes, e.g. "undisclosed-recipients:;" (RFC 5322 §3.4).</summary>
public sealed class GroupAddress : InternetAddress
{
    public GroupAddress(string name, IReadOnlyList<MailboxAddress> members)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(members);
        Members = members;
    }

    public IReadOnlyList<MailboxAddress> Members { get; }

    public override string ToString() => $"{Name}: {string.Join(", ", Members)};";
}
