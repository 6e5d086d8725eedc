using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;
using Xunit;

namespace Suite.Testing.Mail;

/// <summary>A mailbox account on the throwaway server.</summary>
public sealed record MailUser(string Address, string Password);

/// <summary>
/// A throwaway real mail server on loopback for integration tests: Dovecot (IMAP with STARTTLS on a free high port,
/// passwd-file users, Maildir, LMTP and SASL auth on private unix sockets) and Postfix (submission with STARTTLS and
/// AUTH through Dovecot, delivering to Dovecot over LMTP, every other destination refused). Both run from private
/// config, queue and state folders under a temporary directory; /etc is never read or touched. The Debian packages
/// are installed by build/test.sh; when they are missing the fixture fails with a message saying so. Shared by the
/// protocol engine's tests and the mail module's portal tests.
/// </summary>
public sealed class MailServerFixture : IAsyncLifetime
{
    public const string Domain = "suite.test";
    private const int UserCount = 40;
    private const string DovecotBinary = "/usr/sbin/dovecot";
    private const string PostfixBinary = "/usr/sbin/postfix";

    private readonly List<MailUser> _users = [];
    private int _nextUser;
    private Process? _dovecot;
    private TokenIntrospectionServer? _tokens;
    private bool _postfixStarted;

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "suite-mail-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>Dovecot's master user: signs in to any mailbox as <c>address*webmail</c>.</summary>
    public string MasterUser { get; } = "webmail";

    public string MasterPassword { get; } = "maitre-" + Guid.NewGuid().ToString("N");

    /// <summary>A mailbox whose IMAP sessions advertise no extension (Dovecot's imap_capability overridden for it alone),
    /// like an old server: for the webmail's fallbacks, THREAD=REFERENCES first.</summary>
    public MailUser PlainImapUser { get; } = new("classique@" + Domain, "classique-" + Guid.NewGuid().ToString("N"));

    public int ImapPort { get; private set; }

    /// <summary>IMAP with implicit TLS.</summary>
    public int ImapsPort { get; private set; }

    public int SubmissionPort { get; private set; }

    /// <summary>The server's self-signed certificate, generated at start; clients pin it.</summary>
    public X509Certificate2 Certificate { get; private set; } = null!;

    private string DovecotDir => Path.Combine(Root, "dovecot");

    private string PostfixConfigDir => Path.Combine(Root, "postfix", "conf");

    /// <summary>Issues an OAuth 2 access token that Dovecot accepts for <paramref name="user"/> (XOAUTH2, OAUTHBEARER).</summary>
    public string IssueAccessToken(MailUser user) => _tokens!.Issue(user);

    /// <summary>Hands out an account no other test uses, so tests can run in any order against one server.</summary>
    public MailUser NextUser()
    {
        var index = Interlocked.Increment(ref _nextUser) - 1;
        return index < _users.Count ? _users[index] : throw new InvalidOperationException($"The fixture has only {UserCount} accounts; raise UserCount.");
    }

    public ImapClientOptions ImapOptions(MailTlsMode tls = MailTlsMode.StartTls, TimeSpan? timeout = null) => new()
    {
        Host = "127.0.0.1",
        Port = tls == MailTlsMode.Implicit ? ImapsPort : ImapPort,
        Tls = tls,
        TlsServerName = "localhost",
        CertificateValidation = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString(),
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
    };

    public async Task<ImapClient> ConnectImapAsync(MailUser user, MailTlsMode tls = MailTlsMode.StartTls)
    {
        var client = await ImapClient.ConnectAsync(ImapOptions(tls));
        await client.LoginAsync(user.Address, user.Password);
        return client;
    }

    /// <summary>Gives <paramref name="user"/> a new password on the server (as when it is changed elsewhere) and returns
    /// the account with it. Dovecot reads the users file again when it changes.</summary>
    public MailUser ChangePassword(MailUser user, string password)
    {
        lock (_users)
        {
            var index = _users.FindIndex(u => u.Address == user.Address);
            var changed = user with { Password = password };
            _users[index] = changed;
            var passwd = string.Concat(_users.Select(u => $"{u.Address}:{{PLAIN}}{u.Password}\n")) + PlainImapUserLine;
            var path = Path.Combine(Root, "users");
            File.WriteAllText(path + ".new", passwd);
            File.Move(path + ".new", path, overwrite: true);
            var written = DateTime.UtcNow;
            File.SetLastWriteTimeUtc(path, written.AddSeconds(1));

            // Dovecot looks at the users file at most once per second of its clock: a sign-in earlier in this second
            // (another test's) would still see the old password. From the next second on, it reads the new file.
            var nextSecond = written.AddTicks(TimeSpan.TicksPerSecond - written.Ticks % TimeSpan.TicksPerSecond);
            var wait = nextSecond - DateTime.UtcNow + TimeSpan.FromMilliseconds(50);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }

            return changed;
        }
    }

    /// <summary>How many sign-ins of <paramref name="user"/> Dovecot refused so far (from its log).</summary>
    public int FailedLogins(MailUser user)
    {
        var log = Path.Combine(DovecotDir, "dovecot.log");
        if (!File.Exists(log))
        {
            return 0;
        }

        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var count = 0;
        while (reader.ReadLine() is { } line)
        {
            if (line.Contains("auth failed", StringComparison.Ordinal) && line.Contains("user=<" + user.Address + ">", StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Kills (SIGKILL) the Dovecot imap processes serving <paramref name="user"/>: the server dies mid-session.</summary>
    public int KillImapSessions(MailUser user)
    {
        var killed = 0;
        foreach (var (pid, _) in ImapProcesses(user))
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            killed++;
        }

        return killed;
    }

    /// <summary>How many IMAP sessions of <paramref name="user"/> are in IDLE now (Dovecot's process titles, verbose_proctitle).</summary>
    public int IdlingImapSessions(MailUser user) => ImapProcesses(user).Count(p => p.Title.Contains(" IDLE]", StringComparison.Ordinal));

    /// <summary>The imap processes of <paramref name="user"/> on this fixture's Dovecot only: other fixtures (test
    /// classes running at the same time) have their own Dovecot with the same account names.</summary>
    private List<(int Pid, string Title)> ImapProcesses(MailUser user)
    {
        var found = new List<(int, string)>();
        var master = _dovecot?.Id;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string title;
            try
            {
                title = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (title.StartsWith("dovecot/imap [", StringComparison.Ordinal) && title.Contains(user.Address + " ", StringComparison.Ordinal)
                && master is { } masterPid && ParentOf(directory) == masterPid)
            {
                found.Add((pid, title));
            }
        }

        return found;
    }

    /// <summary>The parent process id from /proc/&lt;pid&gt;/status, or -1 when the process is gone.</summary>
    private static int ParentOf(string procDirectory)
    {
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(procDirectory, "status")))
            {
                if (line.StartsWith("PPid:", StringComparison.Ordinal))
                {
                    return int.Parse(line.AsSpan(5).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
        }

        return -1;
    }

    public async Task InitializeAsync()
    {
        RequireTools();
        Directory.CreateDirectory(Root);
        SetMode(Root, 0b111_101_101);
        ImapPort = FreePort();
        ImapsPort = FreePort();
        SubmissionPort = FreePort();
        WriteCertificate();
        WriteUsers();
        _tokens = new TokenIntrospectionServer(FreePort());
        await StartDovecotAsync();
        await StartPostfixAsync();
    }

    public async Task DisposeAsync()
    {
        if (_postfixStarted)
        {
            await RunAsync(PostfixBinary, ["-c", PostfixConfigDir, "stop"], TimeSpan.FromSeconds(30), throwOnFailure: false);
        }

        if (_dovecot is { HasExited: false })
        {
            // SIGTERM lets Dovecot's master stop its children; SIGKILL (Process.Kill) would orphan them.
            _ = NativeMethods.Kill(_dovecot.Id, NativeMethods.SigTerm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _dovecot.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _dovecot.Kill(entireProcessTree: true);
            }
        }

        _dovecot?.Dispose();
        if (_tokens is not null)
        {
            await _tokens.DisposeAsync();
        }

        Certificate?.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static void RequireTools()
    {
        var missing = new[] { DovecotBinary, PostfixBinary, "/usr/lib/dovecot/lmtp", "/usr/lib/dovecot/imap" }.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                "The mail integration tests need Postfix and Dovecot (Debian packages postfix, dovecot-imapd, dovecot-lmtpd), " +
                "which build/test.sh installs. Missing: " + string.Join(", ", missing));
        }

        if (Environment.UserName != "root")
        {
            throw new InvalidOperationException("The mail integration tests start Postfix, which only runs as root; run them as root (build/test.sh in CI).");
        }
    }

    private static void SetMode(string path, int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The mail server fixture runs on Linux only.");
        }

        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void WriteCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(Path.Combine(Root, "cert.pem"), Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(Root, "key.pem"), key.ExportPkcs8PrivateKeyPem());
    }

    private string PlainImapUserLine => $"{PlainImapUser.Address}:{{PLAIN}}{PlainImapUser.Password}::::::userdb_imap_capability=IMAP4rev1\n";

    private void WriteUsers()
    {
        var passwd = new StringBuilder();
        var mailboxes = new StringBuilder();
        for (var i = 1; i <= UserCount; i++)
        {
            var user = new MailUser($"user{i:D2}@{Domain}", $"secret-{i:D2}-{Guid.NewGuid():N}");
            _users.Add(user);
            passwd.Append(CultureInfo.InvariantCulture, $"{user.Address}:{{PLAIN}}{user.Password}\n");
            mailboxes.Append(CultureInfo.InvariantCulture, $"{user.Address} OK\n");
        }

        passwd.Append(PlainImapUserLine);
        mailboxes.Append(CultureInfo.InvariantCulture, $"{PlainImapUser.Address} OK\n");
        File.WriteAllText(Path.Combine(Root, "users"), passwd.ToString());
        File.WriteAllText(Path.Combine(Root, "masters"), $"{MasterUser}:{{PLAIN}}{MasterPassword}\n");
        Directory.CreateDirectory(PostfixConfigDir);
        File.WriteAllText(Path.Combine(PostfixConfigDir, "mailboxes"), mailboxes.ToString());
    }

    private async Task StartDovecotAsync()
    {
        foreach (var sub in new[] { "run", "state" })
        {
            Directory.CreateDirectory(Path.Combine(DovecotDir, sub));
        }

        var mail = Path.Combine(Root, "mail");
        Directory.CreateDirectory(mail);

        // Mail processes run as nobody, which must be able to create each user's home below this folder.
        SetMode(mail, 0b111_111_111);
        var config = Path.Combine(DovecotDir, "dovecot.conf");
        File.WriteAllText(config, MailServerConfigs.Dovecot(Root, ImapPort, ImapsPort));
        File.WriteAllText(Path.Combine(DovecotDir, "oauth2.conf"), MailServerConfigs.DovecotOAuth(_tokens!.Url));
        var start = new ProcessStartInfo(DovecotBinary)
        {
            ArgumentList = { "-c", config, "-F" },

            // Dovecot keeps the standard streams it inherits open: without redirection the test runner would hang.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        _dovecot = Process.Start(start) ?? throw new InvalidOperationException("Could not start Dovecot.");
        _dovecot.OutputDataReceived += (_, _) => { };
        _dovecot.ErrorDataReceived += (_, _) => { };
        _dovecot.BeginOutputReadLine();
        _dovecot.BeginErrorReadLine();
        await WaitForGreetingAsync(ImapPort, "* OK", () => _dovecot.HasExited ? ReadLog(Path.Combine(DovecotDir, "dovecot.log")) : null);
    }

    private async Task StartPostfixAsync()
    {
        var queue = Path.Combine(Root, "postfix", "queue");
        var data = Path.Combine(Root, "postfix", "data");
        Directory.CreateDirectory(queue);
        Directory.CreateDirectory(data);
        await RunAsync("/bin/chown", ["postfix", data], TimeSpan.FromSeconds(10));
        File.WriteAllText(Path.Combine(PostfixConfigDir, "main.cf"), MailServerConfigs.PostfixMain(Root));
        File.WriteAllText(Path.Combine(PostfixConfigDir, "master.cf"), MailServerConfigs.PostfixMaster(SubmissionPort));
        var log = Path.Combine(Root, "postfix", "maillog");
        await RunAsync(PostfixBinary, ["-c", PostfixConfigDir, "start"], TimeSpan.FromSeconds(60), describeFailure: () => ReadLog(log));
        _postfixStarted = true;
        await WaitForGreetingAsync(SubmissionPort, "220 ", () => null, () => ReadLog(log));
    }

    private static async Task WaitForGreetingAsync(int port, string expected, Func<string?> deathReason, Func<string>? logOnTimeout = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (deathReason() is { } reason)
            {
                throw new InvalidOperationException("The mail server exited during start-up:\n" + reason);
            }

            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
                var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(5));
                if (line?.StartsWith(expected, StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"No mail server greeting on 127.0.0.1:{port} after 30 s.\n{logOnTimeout?.Invoke()}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task RunAsync(string program, string[] arguments, TimeSpan timeout, bool throwOnFailure = true, Func<string>? describeFailure = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (throwOnFailure)
            {
                throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds} s.");
            }

            return;
        }

        if (process.ExitCode != 0 && throwOnFailure)
        {
            throw new InvalidOperationException(
                $"{program} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await error}\n{describeFailure?.Invoke()}");
        }
    }

    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : $"({path} does not exist)";
}

internal static class NativeMethods
{
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
