namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Skips body bytes up to the next delimiter line of any open multipart without copying them: content is described by
/// offsets only. The buffer is searched for "\n--" (a vectorised search), so ordinary lines cost almost nothing.
/// </summary>
internal sealed class BodyScanner(MimeReader reader, BoundaryStack boundaries)
{
    private static ReadOnlySpan<byte> NewLineDashes => "\n--"u8;

    public async ValueTask<BoundaryHit> ScanAsync(CancellationToken cancellationToken)
    {
        var state = new State { AtLineStart = true };
        while (true)
        {
            if (Scan(ref state, out var hit))
            {
                return hit;
            }

            if (reader.Eof)
            {
                reader.Advance(reader.Available.Length);
                return BoundaryHit.Eof(reader.Position);
            }

            await reader.FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private struct State
    {
        public bool AtLineStart;
        public int PreviousBreak; // 0 before the first line, 1 after LF, 2 after CRLF
        public bool LastConsumedWasCr;
    }

    private bool Scan(ref State s, out BoundaryHit hit)
    {
        hit = default;
        var span = reader.Available;
        var eof = reader.Eof;
        if (boundaries.Count == 0)
        {
            reader.Advance(span.Length); // nothing can end this body but the end of input
            return false;
        }

        var pos = 0;
        while (true)
        {
            if (s.AtLineStart)
            {
                var rem = span[pos..];
                if (rem.Length < 2 && !eof)
                {
                    break;
                }

                if (rem.Length >= 2 && rem[0] == (byte)'-' && rem[1] == (byte)'-')
                {
                    var lf = rem.IndexOf((byte)'\n');
                    if (lf < 0 && !eof && !(pos == 0 && reader.IsFull))
                    {
                        break; // wait for the rest of a possible delimiter line
                    }

                    if (lf >= 0 || eof)
                    {
                        var line = lf >= 0 ? rem[..lf] : rem;
                        if (boundaries.TryMatch(line, out var index, out var isClose))
                        {
                            var lineStart = reader.Position + pos;
                            hit = new BoundaryHit(index, isClose, lineStart - s.PreviousBreak);
                            reader.Advance(pos + (lf >= 0 ? lf + 1 : rem.Length));
                            return true;
                        }
                    }
                }

                s.AtLineStart = false;
            }

            var rest = span[pos..];
            var next = rest.IndexOf(NewLineDashes);
            if (next < 0)
            {
                // Keep the last two bytes: they may begin a "\n--" completed by the next read.
                var keep = eof ? 0 : Math.Min(2, rest.Length);
                var consume = rest.Length - keep;
                if (consume > 0)
                {
                    s.LastConsumedWasCr = rest[consume - 1] == (byte)'\r';
                }

                pos += consume;
                break;
            }

            var cr = next > 0 ? rest[next - 1] == (byte)'\r' : s.LastConsumedWasCr;
            s.PreviousBreak = cr ? 2 : 1;
            s.LastConsumedWasCr = false;
            pos += next + 1;
            s.AtLineStart = true;
        }

        reader.Advance(pos);
        return false;
    }
}
