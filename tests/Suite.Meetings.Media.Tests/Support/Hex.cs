namespace Suite.Meetings.Media.Tests.Support;

internal static class Hex
{
    /// <summary>Parses hex digits, ignoring whitespace (vectors are pasted in the RFCs' grouping).</summary>
    public static byte[] Parse(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static string Format(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
