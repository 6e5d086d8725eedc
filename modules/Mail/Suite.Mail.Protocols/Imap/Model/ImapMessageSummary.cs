namespace Suite.Mail.Protocols.Imap;

/// <summary>What to ask for in a UID FETCH (the UID itself always comes back).</summary>
[Flags]
public enum ImapFetchItems
{
    None = 0,
    Flags = 1,
    Envelope = 2,
    InternalDate = 4,
    Size = 8,
    BodyStructure = 16,

    /// <summary>The message's MODSEQ (needs CONDSTORE).</summary>
    ModSeq = 32,
    Summary = Flags | Envelope | InternalDate | Size,
}

/// <summary>The data of one FETCH response; items not asked for (or not sent) are null.</summary>
public sealed record ImapMessageSummary
{
    public uint SequenceNumber { get; init; }

    public uint? Uid { get; init; }

    public IReadOnlyList<string>? Flags { get; init; }

    public DateTimeOffset? InternalDate { get; init; }

    public long? Size { get; init; }

    public ImapEnvelope? Envelope { get; init; }

    public ImapBodyPart? Body { get; init; }

    public ulong? ModSeq { get; init; }

    public bool HasFlag(string flag) => Flags?.Contains(flag, StringComparer.OrdinalIgnoreCase) == true;
}

/// <summary>Result of UID SEARCH (or ESEARCH); Count, Min and Max only when the server computed them.</summary>
public sealed record ImapSearchResult(IReadOnlyList<uint> Uids, uint? Count = null, uint? Min = null, uint? Max = null, ulong? HighestModSeq = null);

/// <summary>The UIDs messages received in the destination of a copy or move (UIDPLUS COPYUID).</summary>
public sealed record ImapUidMapping(uint DestinationUidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

public enum ImapStoreAction
{
    Add,
    Remove,
    Replace,
}

/// <summary>Well-known system flags.</summary>
public static class ImapFlags
{
    public const string Seen = @"\Seen";
    public const string Answered = @"\Answered";
    public const string Flagged = @"\Flagged";
    public const string Deleted = @"\Deleted";
    public const string Draft = @"\Draft";
}
