namespace Suite.Meetings.Media.Stun;

/// <summary>
/// CRC-32 as used by FINGERPRINT (ITU-T V.42 / IEEE 802.3: reflected polynomial 0xEDB88320, initial value and
/// final XOR 0xFFFFFFFF). System.IO.Hashing is not available here, so this is a plain table-driven version.
/// </summary>
internal static class Crc32
{
    private const uint ReflectedPolynomial = 0xEDB88320;

    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC over more data: <c>Append(Compute(a), b) == Compute(a ++ b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        uint state = ~crc;
        foreach (byte b in data)
        {
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        }

        return ~state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? ReflectedPolynomial ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

/// <summary>The FINGERPRINT value: CRC-32 of the message up to the attribute, XOR 0x5354554E (RFC 8489 §14.7).</summary>
internal static class StunFingerprint
{
    /// <param name="messageBeforeFingerprint">
    /// The message up to (not including) the FINGERPRINT attribute header, with a header length that already
    /// counts the 8-byte FINGERPRINT attribute.
    /// </param>
    public static uint Compute(ReadOnlySpan<byte> messageBeforeFingerprint) =>
        Crc32.Compute(messageBeforeFingerprint) ^ StunConstants.FingerprintXor;
}
