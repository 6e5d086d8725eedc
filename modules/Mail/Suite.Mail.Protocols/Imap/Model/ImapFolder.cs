namespace Suite.Mail.Protocols.Imap;

/// <summary>The role a mailbox plays (RFC 6154 special-use attributes; INBOX is added for convenience).</summary>
public enum ImapSpecialUse
{
    None,
    Inbox,
    All,
    Archive,
    Drafts,
    Flagged,
    Junk,
    Sent,
    Trash,
}

/// <summary>One mailbox returned by LIST.</summary>
/// <param name="Name">Decoded name (modified UTF-7 undone), full path with the hierarchy delimiter.</param>
/// <param name="EncodedName">The name as the server knows it, to pass back in commands.</param>
public sealed record ImapFolder(string Name, string EncodedName, char? Delimiter, IReadOnlySet<string> Attributes, ImapSpecialUse SpecialUse, ImapMailboxStatus? Status)
{
    /// <summary>False for \Noselect and \NonExistent mailboxes, which only exist as hierarchy nodes.</summary>
    public bool CanSelect => !Attributes.Contains(@"\Noselect") && !Attributes.Contains(@"\NonExistent");
}

/// <summary>Counters from STATUS (or LIST-STATUS); a value the server did not send is null.</summary>
public sealed record ImapMailboxStatus(uint? Messages, uint? Unseen, uint? Recent, uint? UidNext, uint? UidValidity, ulong? HighestModSeq);

/// <summary>A namespace prefix and its hierarchy delimiter (RFC 2342).</summary>
public sealed record ImapNamespace(string Prefix, char? Delimiter);

public sealed record ImapNamespaces(IReadOnlyList<ImapNamespace> Personal, IReadOnlyList<ImapNamespace> OtherUsers, IReadOnlyList<ImapNamespace> Shared);
