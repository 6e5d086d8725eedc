namespace Suite.Mail.Protocols.Imap;

internal enum ImapResponseKind
{
    Tagged,
    Untagged,
    Continuation,
}

/// <summary>A response code in brackets, e.g. <c>[UIDVALIDITY 3857529045]</c>: its name and its arguments.</summary>
internal sealed record ImapResponseCode(string Name, IReadOnlyList<ImapValue> Arguments)
{
    public ImapValue Argument(int index) => index < Arguments.Count ? Arguments[index] : ImapValue.Nil;

    public override string ToString() => Arguments.Count == 0 ? Name : Name + " " + string.Join(' ', Arguments);
}

/// <summary>
/// One complete server response. Status responses (tagged, or untagged OK/NO/BAD/BYE/PREAUTH) carry
/// <see cref="Status"/>, an optional <see cref="Code"/> and <see cref="Text"/>; untagged data responses carry
/// <see cref="Name"/> (upper case), an optional leading <see cref="Number"/> (<c>* 12 EXISTS</c>) and the following
/// <see cref="Values"/>; a continuation request carries <see cref="Text"/>.
/// </summary>
internal sealed class ImapResponse
{
    public required ImapResponseKind Kind { get; init; }

    public string? Tag { get; init; }

    public ImapStatus? Status { get; init; }

    public ImapResponseCode? Code { get; init; }

    public string Text { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public uint? Number { get; init; }

    public IReadOnlyList<ImapValue> Values { get; init; } = [];

    public ImapValue Value(int index) => index < Values.Count ? Values[index] : ImapValue.Nil;

    public bool IsStatus => Status is not null;

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);
}
