using System.Diagnostics;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;

namespace Suite.Bench.Mail;

/// <summary>Our side of the IMAP measures, through the public <see cref="ImapClient"/> API as the webmail uses it.</summary>
internal static class ImapWork
{
    public const int PageSize = 50;

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    /// <summary>
    /// From nothing to the first page of the message list, as the webmail does it (Features/Messages/MessageList.cs):
    /// connect, STARTTLS, LOGIN, SELECT INBOX, UID SEARCH ALL (ESEARCH), then UID FETCH of the 50 newest with FLAGS,
    /// ENVELOPE, INTERNALDATE, RFC822.SIZE and BODYSTRUCTURE. LOGOUT is not timed.
    /// </summary>
    public static async Task<(double Ms, double ConnectMs, double CpuMs, int Count, string Steps)> FirstPageAsync(ImapClientOptions options, string user, string password)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var client = await ImapClient.ConnectAsync(options);
        await using (client)
        {
            var connected = clock.Elapsed.TotalMilliseconds;
            var connectCpu = Cpu();
            await client.LoginAsync(user, password);
            var connectMs = clock.Elapsed.TotalMilliseconds;
            await client.SelectAsync("INBOX");
            var selected = clock.Elapsed.TotalMilliseconds;
            var uids = (await client.UidSearchAsync(ImapSearchQuery.All)).Uids;
            var searched = clock.Elapsed.TotalMilliseconds;
            var searchedCpu = Cpu();
            var newest = uids.Order().TakeLast(PageSize).ToList();
            var page = await client.UidFetchAsync(newest, ImapFetchItems.Summary | ImapFetchItems.BodyStructure);
            var ms = clock.Elapsed.TotalMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            await client.LogoutAsync();
            var steps = $"connect+TLS {connected:0.0}, login {connectMs - connected:0.0}, select {selected - connectMs:0.0}, search {searched - selected:0.0}, fetch {ms - searched:0.0}; CPU connect+TLS {connectCpu - cpu.TotalMilliseconds:0.0}, login..search {searchedCpu - connectCpu:0.0}, fetch {cpuMs + cpu.TotalMilliseconds - searchedCpu:0.0}";
            return (ms, connectMs, cpuMs, page.Count, steps);
        }
    }

    /// <summary>
    /// Header sync of the whole folder on an open, selected session (connect, login and select are not timed):
    /// UID FETCH 1:(UIDNEXT-1) (UID FLAGS ENVELOPE INTERNALDATE RFC822.SIZE), every response parsed into a summary.
    /// </summary>
    public static async Task<(double Ms, double CpuMs, int Count, int Seen)> SyncAsync(ImapClientOptions options, string user, string password)
    {
        var client = await ImapClient.ConnectAsync(options);
        await using (client)
        {
            await client.LoginAsync(user, password);
            var mailbox = await client.SelectAsync("INBOX");
            var last = (mailbox.UidNext ?? 2) - 1;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var all = await client.UidFetchAsync(Enumerable.Range(1, (int)last).Select(i => (uint)i), ImapFetchItems.Summary);
            var ms = clock.Elapsed.TotalMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var seen = all.Count(m => m.HasFlag(ImapFlags.Seen));
            await client.LogoutAsync();
            return (ms, cpuMs, all.Count, seen);
        }
    }
}
