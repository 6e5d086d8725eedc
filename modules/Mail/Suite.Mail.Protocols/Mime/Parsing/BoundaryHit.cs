namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// What ended a scan: a delimiter line of the open boundary at <see cref="Index"/> (already consumed), or the end of
/// input (Index = -1). <see cref="ContentEnd"/> is where the scanned content stops: before the line break that
/// precedes the delimiter, which belongs to the delimiter (RFC 2046 §5.1.1), or at the end of input.
/// </summary>
internal readonly record struct BoundaryHit(int Index, bool IsClose, long ContentEnd)
{
    public bool IsEof => Index < 0;

    public static BoundaryHit Eof(long position) => new(-1, false, position);
}
