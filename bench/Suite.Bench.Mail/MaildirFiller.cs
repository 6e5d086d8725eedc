using System.Diagnostics;
using System.Globalization;

namespace Suite.Bench.Mail;

/// <summary>
/// Fills a user's INBOX on the throwaway Dovecot by writing Maildir files directly (far faster than 10,000 APPENDs):
/// cur/&lt;time&gt;.M&lt;n&gt;P1.bench,S=&lt;size&gt;:2,&lt;flags&gt;, with the file's modification time as the received date
/// (Dovecot's INTERNALDATE for Maildir). Dovecot indexes the folder on the first SELECT.
/// </summary>
internal static class MaildirFiller
{
    public static async Task<(int Count, long Bytes)> FillAsync(string mailRoot, string user, int count, int seed, int maxAttachmentBytes)
    {
        var maildir = Path.Combine(mailRoot, user, "Maildir");
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(maildir, sub));
        }

        var generator = new CorpusGenerator(seed, maxAttachmentBytes);
        long bytes = 0;
        for (var i = 1; i <= count; i++)
        {
            var (message, date, _) = generator.Next();
            var flags = (i % 10) switch
            {
                < 7 => "S",
                7 => "FS",
                8 => "RS",
                _ => string.Empty,
            };
            if (i > count - 30)
            {
                flags = string.Empty; // the newest messages are unread, as in a real inbox
            }

            var name = string.Create(CultureInfo.InvariantCulture, $"{date.ToUnixTimeSeconds()}.M{i}P1.bench,S={message.Length}:2,{flags}");
            var path = Path.Combine(maildir, "cur", name);
            await File.WriteAllBytesAsync(path, message);
            File.SetLastWriteTimeUtc(path, date.UtcDateTime);
            bytes += message.Length;
        }

        // Dovecot's mail processes run as nobody (the fixture's static userdb).
        using var chown = Process.Start("chown", ["-R", "nobody:nogroup", Path.Combine(mailRoot, user)]) ?? throw new InvalidOperationException("chown");
        await chown.WaitForExitAsync();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException("chown failed");
        }

        return (count, bytes);
    }
}
