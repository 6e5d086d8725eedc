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
