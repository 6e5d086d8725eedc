using System.Diagnostics;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;

namespace Suite.Bench.Mail;

/// <summary>Our side of the IMAP measures, through the public <see cref="ImapClient"/> API as the webmail uses it.</summary>
internal sealed record FirstPage(double Ms, double ConnectMs, double CpuMs, int Count, string Steps, Dictionary<string, double> Phases, string Tls);

internal static class ImapWork
{
    public const int PageSize = 50;

    /// <summary>
    /// From nothing to the first page of the message list, as the webmail does it (Features/Connection/MailboxConnection.cs
    /// then Features/Messages/MessageList.cs): connect, STARTTLS, LOGIN (one call, <see cref="ImapClient.ConnectAsync(ImapClientOptions, string, string, CancellationToken)"/>),
    /// SELECT INBOX, UID SEARCH ALL (ESEARCH), then UID FETCH of the 50 newest with FLAGS, ENVELOPE, INTERNALDATE,
    /// RFC822.SIZE and BODYSTRUCTURE. LOGOUT is not timed. <c>Phases</c>: milliseconds of each step, from the end of
    /// the previous one (the engine reports the steps of opening the session, the rest is timed here).
    /// </summary>
    public static async Task<FirstPage> FirstPageAsync(ImapClientOptions options, string user, string password)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var marks = new List<(string Name, double At)>();
        void Mark(string name) => marks.Add((name, clock.Elapsed.TotalMilliseconds));
        var traced = new ImapClientOptions
        {
            Host = options.Host,
            Port = options.Port,
            Tls = options.Tls,
            TlsServerName = options.TlsServerName,
            CertificateValidation = options.CertificateValidation,
            Timeout = options.Timeout,
            IdleRestartInterval = options.IdleRestartInterval,
            PhaseCompleted = Mark,
        };
        var client = await ImapClient.ConnectAsync(traced, user, password);
        await using (client)
        {
            var connectMs = clock.Elapsed.TotalMilliseconds;
            await client.SelectAsync("INBOX");
            Mark("select");
            var uids = (await client.UidSearchAsync(ImapSearchQuery.All)).Uids;
            Mark("search");
            var newest = uids.Order().TakeLast(PageSize).ToList();
            var page = await client.UidFetchAsync(newest, ImapFetchItems.Summary | ImapFetchItems.BodyStructure);
            Mark("fetch");
            var ms = clock.Elapsed.TotalMilliseconds;
            var cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds;
            var tls = client.TlsDescription ?? "none";
            await client.LogoutAsync();
            var phases = new Dictionary<string, double>();
            var previous = 0.0;
            foreach (var (name, at) in marks)
            {
                phases[name] = phases.GetValueOrDefault(name) + (at - previous);
                previous = at;
            }

            var steps = string.Join(", ", phases.Select(p => $"{p.Key} {p.Value:0.0}"));
            return new FirstPage(ms, connectMs, cpuMs, page.Count, steps, phases, tls);
        }
    }

    /// <summary>
    /// Header sync of the whole folder on an open, selected session (connect, login and select are not timed):
    /// UID FETCH 1:(UIDNEXT-1) (UID FLAGS ENVELOPE INTERNALDATE RFC822.SIZE), every response parsed into a summary.
    /// </summary>
    public static async Task<(double Ms, double CpuMs, int Count, int Seen)> SyncAsync(ImapClientOptions options, string user, string password)
    {
        var client = await ImapClient.ConnectAsync(options, user, password);
        await using (client)
        {
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
