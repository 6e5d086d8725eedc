namespace Suite.Mail.Protocols.Smtp;

/// <summary>
/// Transforms message bytes for DATA (RFC 5321 §4.5.2) while they stream: a "." at the start of a line is doubled,
/// and every line ending becomes CRLF (bare LF or CR would otherwise let a message smuggle its own end-of-data).
/// The caller then sends the ".\r\n" terminator, after <see cref="Finish"/> closed an unterminated last line.
/// </summary>
internal sealed class DotStuffing
{
    private bool _atLineStart = true;
    private bool _afterCr;

    /// <summary>Appends the transformed form of <paramref name="input"/> to <paramref name="output"/> (which needs room for 2× input).</summary>
    public int Transform(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        foreach (var b in input)
        {
            if (_afterCr)
            {
                _afterCr = false;
                output[written++] = (byte)'\r';
                output[written++] = (byte)'\n';
                _atLineStart = true;
                if (b == (byte)'\n')
                {
                    continue;
                }
            }

            switch (b)
            {
                case (byte)'\r':
                    _afterCr = true;
                    continue;
                case (byte)'\n':
                    output[written++] = (byte)'\r';
                    output[written++] = (byte)'\n';
                    _atLineStart = true;
                    continue;
                case (byte)'.' when _atLineStart:
                    output[written++] = (byte)'.';
                    break;
            }

            output[written++] = b;
            _atLineStart = false;
        }

        return written;
    }

    /// <summary>Bytes to send before the terminator: a pending CR's LF, or a CRLF when the last line is unterminated.</summary>
    public ReadOnlySpan<byte> Finish()
    {
        if (_afterCr)
        {
            _afterCr = false;
            _atLineStart = true;
            return "\r\n"u8;
        }

        return _atLineStart ? [] : "\r\n"u8;
    }
}
