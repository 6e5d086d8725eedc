using System.Diagnostics;

namespace Suite.Meetings.Media.Rooms;

/// <summary>The SFU's wall clock in NTP format (RFC 3550 §4), monotonic: the UTC time at start plus elapsed ticks.</summary>
internal static class NtpClock
{
    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly long StartTimestamp = Stopwatch.GetTimestamp();
    private static readonly double StartSeconds = (DateTime.UtcNow - NtpEpoch).TotalSeconds;

    public static ulong At(long timestamp)
    {
        double seconds = StartSeconds + ((timestamp - StartTimestamp) / (double)Stopwatch.Frequency);
        ulong whole = (ulong)seconds;
        ulong fraction = (ulong)((seconds - whole) * 4294967296.0);
        return (whole << 32) | fraction;
    }

    /// <summary>The middle 32 bits, as in LSR and DLSR fields (units of 1/65536 s).</summary>
    public static uint Compact(ulong ntp) => (uint)(ntp >> 16);

    public static long Microseconds(long timestamp) => (long)(timestamp * (1_000_000.0 / Stopwatch.Frequency));
}
