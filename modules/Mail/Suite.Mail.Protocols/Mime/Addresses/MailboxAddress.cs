namespace Suite.Mail.Protocols.Mime;

/// <summary>A single mailbox: optional display name and an addr-spec (local-part@domain).</summary>
public sealed class MailboxAddress : InternetAddress, IEquatable<MailboxAddress>
{
    public MailboxAddress(string? name, string address)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address.Trim();
    }

    /// <summary>The addr-spec, e.g. "jane@example.org" (may lack a domain in broken headers, or be empty for "&lt;&gt;").</summary>
    public string Address { get; }

    /// <summary>The part before the last '@' (the whole address when there is none).</summary>
    public string LocalPart => Address.LastIndexOf('@') is var at and >= 0 ? Address[..at] : Address;

    /// <summary>The part after the last '@', or an empty string.</summary>
    public string Domain => Address.LastIndexOf('@') is var at and >= 0 ? Address[(at + 1)..] : string.Empty;

    public bool Equals(MailboxAddress? other) =>
        other is not null && string.Equals(Address, other.Address, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => Equals(obj as MailboxAddress);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Address);

    /// <summary>A display form, "Name &lt;address&gt;" or "address"; not an encoded header value.</summary>
    public override string ToString() => Name is null ? Address : $"{Name} <{Address}>";
}
