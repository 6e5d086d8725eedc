using System.Globalization;

namespace Suite.Bench.Sfu;

/// <summary>This process's CPU time and resident memory, read from /proc (Linux).</summary>
internal static class ProcessUsage
{
    /// <summary>utime + stime of the whole process (all threads), in milliseconds.</summary>
    public static double CpuMilliseconds()
    {
        // /proc/self/stat: "pid (comm) state ..." — fields after the closing parenthesis; utime and stime are 14 and 15.
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks * 10.0; // USER_HZ is 100 on Linux
    }

    public static long ResidentKiB() => ReadStatusKiB("VmRSS:");

    public static long PeakResidentKiB() => ReadStatusKiB("VmHWM:");

    private static long ReadStatusKiB(string key)
    {
        foreach (string line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }
}
