using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace Suite.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster on 127.0.0.1: fresh temp folder, free port, trust auth, no durability.
/// As root the binaries run as the <c>postgres</c> OS user, since initdb refuses to run as root.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    private const string FolderPrefix = "suite-pg-";
    private const string OwnerFile = "owner.pid";
    private const string InstallHint = "run bash build/test.sh, which installs them";
    private static readonly bool RunAsPostgresUser = Environment.IsPrivilegedProcess;

    private readonly string _binDirectory;
    private int _disposed;

    private PostgresServer(string binDirectory, string rootDirectory, int port)
    {
        _binDirectory = binDirectory;
        RootDirectory = rootDirectory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The temp folder holding the data directory, socket and log; deleted on dispose.</summary>
    public string RootDirectory { get; }

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>Connection string for the <c>postgres</c> superuser on the given database.</summary>
    public string ConnectionString(string database = "postgres") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = "postgres",
        Database = database,
    }.ConnectionString;

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = FindBinDirectory(
            Environment.GetEnvironmentVariable("SUITE_TEST_PG_BIN"), "/usr/lib/postgresql");
        await RemoveOrphansAsync(binDirectory);

        var root = Directory.CreateTempSubdirectory(FolderPrefix).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, OwnerFile), $"{Environment.ProcessId}", cancellationToken);
            if (RunAsPostgresUser)
            {
                await RunAsync("chown", ["-R", "postgres:", root], root, cancellationToken);
            }

            var data = Path.Combine(root, "data");
            await RunAsync(Path.Combine(binDirectory, "initdb"),
                ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"],
                root, cancellationToken, asPostgres: true);
            await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

                listen_addresses = '127.0.0.1'
                unix_socket_directories = '{root.Replace("'", "''")}'
                fsync = off
                synchronous_commit = off
                full_page_writes = off
                shared_buffers = 32MB
                max_connections = 200
                """, cancellationToken);

            // The port may be taken between FreePort.Get and the bind: try a few.
            var log = Path.Combine(root, "server.log");
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Get();
                try
                {
                    await RunAsync(Path.Combine(binDirectory, "pg_ctl"),
                        ["start", "-w", "-t", "60", "-D", data, "-l", log, "-o", $"-p {port}"],
                        root, cancellationToken, asPostgres: true);
                    return new PostgresServer(binDirectory, root, port);
                }
                catch (InvalidOperationException e) when (attempt == 3)
                {
                    throw new InvalidOperationException(
                        $"{e.Message}\n{(File.Exists(log) ? await File.ReadAllTextAsync(log, CancellationToken.None) : "")}", e);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
        catch
        {
            DeleteFolder(root);
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        name ??= $"t_{Guid.NewGuid():N}";
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain lower-case identifier.", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await StopAsync(_binDirectory, DataDirectory);
        DeleteFolder(RootDirectory);
    }

    internal static string FindBinDirectory(string? configured, string searchRoot)
    {
        string[] candidates = !string.IsNullOrWhiteSpace(configured)
            ? [configured]
            : Directory.Exists(searchRoot)
                ? Directory.GetDirectories(searchRoot)
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var major) ? major : 0)
                    .Select(d => Path.Combine(d, "bin"))
                    .ToArray()
                : [];
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
            ?? throw new InvalidOperationException(
                $"PostgreSQL binaries (initdb, pg_ctl) not found in {(string.IsNullOrWhiteSpace(configured) ? searchRoot + "/*/bin" : configured)} " +
                $"(SUITE_TEST_PG_BIN): {InstallHint}.");
    }

    /// <summary>Stops and deletes clusters left behind by test processes that died without disposing them.</summary>
    private static async Task RemoveOrphansAsync(string binDirectory)
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            var ownerFile = Path.Combine(folder, OwnerFile);
            if (!File.Exists(ownerFile) || !int.TryParse(File.ReadAllText(ownerFile), out var pid) || IsAlive(pid))
            {
                continue;
            }

            await StopAsync(binDirectory, Path.Combine(folder, "data"));
            DeleteFolder(folder);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Best effort: a cluster that cannot be stopped is left to die with the machine.</summary>
    private static async Task StopAsync(string binDirectory, string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(binDirectory, "pg_ctl"), ["stop", "-w", "-m", "immediate", "-D", dataDirectory],
                Path.GetTempPath(), CancellationToken.None, asPostgres: true);
        }
        catch (InvalidOperationException)
        {
            // Already stopped (stale postmaster.pid) or stopped by someone else meanwhile.
        }
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private static async Task RunAsync(
        string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken,
        bool asPostgres = false)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = program,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (asPostgres && RunAsPostgresUser)
        {
            startInfo.FileName = "runuser";
            foreach (var prefix in new[] { "-u", "postgres", "--", program })
            {
                startInfo.ArgumentList.Add(prefix);
            }
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(program)} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n" +
                $"{await errors}{await output}");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
