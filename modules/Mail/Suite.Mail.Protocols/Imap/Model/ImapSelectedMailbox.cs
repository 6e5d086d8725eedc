namespace Suite.Mail.Protocols.Imap;

/// <summary>
/// State of the selected mailbox. The client keeps it current from untagged responses, which servers send at any
/// time (EXISTS, EXPUNGE, VANISHED, FETCH with new flags, HIGHESTMODSEQ).
/// </summary>
public sealed class ImapSelectedMailbox
{
    internal ImapSelectedMailbox(string name, bool readOnly)
    {
        Name = name;
        ReadOnly = readOnly;
    }

    /// <summary>The encoded mailbox name as passed to SELECT.</summary>
    public string Name { get; }

    public bool ReadOnly { get; internal set; }

    public uint Exists { get; internal set; }

    public uint Recent { get; internal set; }

    public uint? UidValidity { get; internal set; }

    public uint? UidNext { get; internal set; }

    /// <summary>Set when the server supports CONDSTORE for this mailbox.</summary>
    public ulong? HighestModSeq { get; internal set; }

    public uint? FirstUnseen { get; internal set; }

    public IReadOnlyList<string> Flags { get; internal set; } = [];

    public IReadOnlyList<string> PermanentFlags { get; internal set; } = [];

    /// <summary>UIDs the server reported as gone (QRESYNC select, or VANISHED while selected).</summary>
    public IReadOnlyList<uint> VanishedUids => Vanished;

    /// <summary>Messages whose flags changed since the state passed to a QRESYNC select.</summary>
    public IReadOnlyList<ImapMessageSummary> ChangedMessages => Changed;

    internal List<uint> Vanished { get; } = [];

    internal List<ImapMessageSummary> Changed { get; } = [];
}

/// <summary>What a client remembers of a mailbox to resynchronise cheaply (RFC 7162 QRESYNC).</summary>
/// <param name="KnownUids">Optional UID set the client knows, in IMAP syntax (e.g. "1:500").</param>
public sealed record ImapResyncState(uint UidValidity, ulong HighestModSeq, string? KnownUids = null);

public enum ImapMailboxEventKind
{
    /// <summary>The message count changed (<see cref="ImapMailboxEvent.Count"/>); new mail when it grows.</summary>
    Exists,

    /// <summary>A message was removed (<see cref="ImapMailboxEvent.SequenceNumber"/>).</summary>
    Expunged,

    /// <summary>Messages were removed, by UID (QRESYNC).</summary>
    Vanished,

    /// <summary>A message's flags changed (<see cref="ImapMailboxEvent.Message"/>).</summary>
    FlagsChanged,
}

/// <summary>An unsolicited change of the selected mailbox reported by the server.</summary>
public sealed record ImapMailboxEvent(ImapMailboxEventKind Kind, uint Count = 0, uint SequenceNumber = 0, IReadOnlyList<uint>? Uids = null, ImapMessageSummary? Message = null);
