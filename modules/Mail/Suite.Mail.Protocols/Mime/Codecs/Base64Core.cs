namespace Suite.Mail.Protocols.Mime;

/// <summary>
/// Lenient, incremental base64 decoding shared by encoded words and the transfer-decoding stream: characters outside the
/// base64 alphabet (whitespace, line breaks, garbage) are skipped, decoding stops at the first '=' padding of a quantum
/// and a truncated final quantum yields the bytes it fully covers.
/// </summary>
internal struct Base64Core
{
    private static readonly sbyte[] Table = BuildTable();

    private int _accumulator;
    private int _count;
    private bool _finished;

    /// <summary>Decodes <paramref name="input"/> into <paramref name="output"/>, which must hold at least input.Length*3/4+3 bytes.</summary>
    public int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        // Fast path: a whole line that starts on a quantum boundary is handed to the vectorised decoder, which stops at
        // the first byte it does not accept (padding, garbage, a partial quantum) at a quantum boundary; the rest of
        // the line goes through the lenient byte-by-byte decoder, so the result is the same as with that one alone.
        var written = 0;
        while (!input.IsEmpty)
        {
            var lf = input.IndexOf((byte)'\n');
            var segment = lf < 0 ? input : input[..(lf + 1)];
            if (lf >= 0 && _count == 0 && !_finished)
            {
                var line = input[..lf];
                if (!line.IsEmpty && line[^1] == (byte)'\r')
                {
                    line = line[..^1];
                }

                _ = System.Buffers.Text.Base64.DecodeFromUtf8(line, output[written..], out var consumed, out var decoded, isFinalBlock: false);
                written += decoded;
                segment = segment[consumed..];
            }

            written += DecodeSlow(segment, output[written..]);
            input = input[(lf < 0 ? input.Length : lf + 1)..];
        }

        return written;
    }

    private int DecodeSlow(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var written = 0;
        foreach (var b in input)
        {
            if (_finished)
            {
                // RFC 2045 §6.8: data after the padding is ignored... unless a new quantum starts a concatenated stream.
                if (Table[b] < 0)
                {
                    continue;
                }

                _finished = false;
                _accumulator = 0;
                _count = 0;
            }

            if (b == (byte)'=')
            {
                written += Flush(output[written..]);
                _finished = true;
                continue;
            }

            var v = Table[b];
            if (v < 0)
            {
                continue;
            }

            _accumulator = (_accumulator << 6) | (byte)v;
            if (++_count == 4)
            {
                output[written++] = (byte)(_accumulator >> 16);
                output[written++] = (byte)(_accumulator >> 8);
                output[written++] = (byte)_accumulator;
                _accumulator = 0;
                _count = 0;
            }
        }

        return written;
    }

    /// <summary>Emits the bytes of a truncated final quantum (2 chars → 1 byte, 3 chars → 2 bytes).</summary>
    public int Flush(Span<byte> output)
    {
        var written = 0;
        if (_count == 2)
        {
            output[written++] = (byte)(_accumulator >> 4);
        }
        else if (_count == 3)
        {
            output[written++] = (byte)(_accumulator >> 10);
            output[written++] = (byte)(_accumulator >> 2);
        }

        _accumulator = 0;
        _count = 0;
        return written;
    }

    public static byte[] DecodeAll(ReadOnlySpan<byte> input)
    {
        var core = default(Base64Core);
        var buffer = new byte[(input.Length * 3 / 4) + 3];
        var n = core.Decode(input, buffer);
        n += core.Flush(buffer.AsSpan(n));
        return buffer.AsSpan(0, n).ToArray();
    }

    private static sbyte[] BuildTable()
    {
        var table = new sbyte[256];
        Array.Fill(table, (sbyte)-1);
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < alphabet.Length; i++)
        {
            table[alphabet[i]] = (sbyte)i;
        }
        return table;
    }
}
