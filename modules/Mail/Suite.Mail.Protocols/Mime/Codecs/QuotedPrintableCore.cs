namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Incremental, lenient quoted-printable decoder (RFC 2045 §6.7). Handles soft line breaks ("=" CRLF, "=" LF, and
/// "=" followed by trailing whitespace before the break), lower-case hex digits, and passes malformed "=" sequences
/// through literally. Line breaks and trailing whitespace of hard lines are kept as they are.
/// </summary>
internal struct QuotedPrintableCore
{
    private const int MaxPendingWhitespace = 16;

    private State _state;
    private byte _hex1;
    private int _spaceCount;
    private ulong _spaces; // up to 16 pending whitespace bytes after '=', 1 bit each: 0 = space, 1 = tab

    private enum State : byte
    {
        Normal,
        Equals,
        Hex1,
        EqualsSpace,
        EqualsCr,
    }

    /// <summary>Decodes into <paramref name="output"/>, which must hold input.Length + 20 bytes.</summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var n = 0;
        var i = 0;
        while (i < input.Length)
        {
            if (_state == State.Normal)
            {
                // Fast path: everything up to the next '=' is literal; copy the run at once.
                var rest = input[i..];
                var equals = rest.IndexOf((byte)'=');
                var run = equals < 0 ? rest.Length : equals;
                rest[..run].CopyTo(output[n..]);
                n += run;
                i += run;
                if (equals < 0)
                {
                    break;
                }

                _state = State.Equals;
                i++;
                continue;
            }

            var b = input[i++];
            switch (_state)
            {
                case State.Normal:
                    n = Normal(b, output, n);
                    break;
                case State.Equals:
                    if (Hex.Value(b) >= 0)
                    {
                        _hex1 = b;
                        _state = State.Hex1;
                    }
                    else if (b == (byte)'\r')
                    {
                        _state = State.EqualsCr;
                    }
                    else if (b == (byte)'\n')
                    {
                        _state = State.Normal;
                    }
                    else if (b is (byte)' ' or (byte)'\t')
                    {
                        _spaceCount = 0;
                        _spaces = 0;
                        AddSpace(b);
                        _state = State.EqualsSpace;
                    }
                    else
                    {
                        output[n++] = (byte)'=';
                        n = Normal(b, output, n);
                    }

                    break;
                case State.Hex1:
                    if (Hex.Value(b) >= 0)
                    {
                        output[n++] = (byte)((Hex.Value(_hex1) << 4) | Hex.Value(b));
                        _state = State.Normal;
                    }
                    else
                    {
                        output[n++] = (byte)'=';
                        output[n++] = _hex1;
                        n = Normal(b, output, n);
                    }

                    break;
                case State.EqualsSpace:
                    if (b is (byte)' ' or (byte)'\t' && _spaceCount < MaxPendingWhitespace)
                    {
                        AddSpace(b);
                    }
                    else if (b == (byte)'\r')
                    {
                        _state = State.EqualsCr;
                    }
                    else if (b == (byte)'\n')
                    {
                        _state = State.Normal;
                    }
                    else
                    {
                        n = FlushSpaces(output, n);
                        n = Normal(b, output, n);
                    }

                    break;
                case State.EqualsCr:
                    _state = State.Normal;
                    if (b != (byte)'\n')
                    {
                        n = Normal(b, output, n);
                    }

                    break;
            }
        }

        return n;
    }

    /// <summary>Emits whatever an unfinished escape at the end of the input stands for.</summary>
    public int Flush(Span<byte> output)
    {
        var n = 0;
        switch (_state)
        {
            case State.Equals:
                output[n++] = (byte)'=';
                break;
            case State.Hex1:
                output[n++] = (byte)'=';
                output[n++] = _hex1;
                break;
            case State.EqualsSpace:
                n = FlushSpaces(output, n); // "=" + whitespace at the very end: treat as literal text
                break;
        }

        _state = State.Normal;
        return n;
    }

    private int Normal(byte b, Span<byte> output, int n)
    {
        if (b == (byte)'=')
        {
            _state = State.Equals;
            return n;
        }

        _state = State.Normal;
        output[n++] = b;
        return n;
    }

    private void AddSpace(byte b)
    {
        if (b == (byte)'\t')
        {
            _spaces |= 1UL << _spaceCount;
        }

        _spaceCount++;
    }

    private int FlushSpaces(Span<byte> output, int n)
    {
        output[n++] = (byte)'=';
        for (var i = 0; i < _spaceCount; i++)
        {
            output[n++] = (_spaces & (1UL << i)) != 0 ? (byte)'\t' : (byte)' ';
        }

        _spaceCount = 0;
        _spaces = 0;
        _state = State.Normal;
        return n;
    }
}
