using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Modules;
using Suite.Testing.Sample;
using Suite.Web;

namespace Suite.Testing;

/// <summary>The real portal (same composition as Program.cs plus the sample module) on a loopback port, with a
/// fresh data folder: SQLite files by default, or a fresh PostgreSQL database.</summary>
public sealed class SuiteTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private readonly bool _ownsData;

    private SuiteTestHost(WebApplication app, string baseUrl, string dataDirectory, bool ownsData)
    {
        _app = app;
        BaseUrl = baseUrl;
        DataDirectory = dataDirectory;
        _ownsData = ownsData;
    }

    public string BaseUrl { get; }
    public string DataDirectory { get; }
    public string Outbox => Path.Combine(DataDirectory, "outbox");
    public IServiceProvider Services => _app.Services;

    /// <param name="postgresConnectionString">Null for the embedded SQLite default.</param>
    /// <param name="dataDirectory">An existing data folder to start on (a restart), which is then left in place;
    /// null for a fresh one, deleted when the host is disposed.</param>
    public static async Task<SuiteTestHost> StartAsync(string? postgresConnectionString = null, IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        var ownsData = dataDirectory is null;
        dataDirectory ??= Directory.CreateTempSubdirectory("suite-test-").FullName;
        var port = FreePort.Get();
        var baseUrl = $"http://127.0.0.1:{port}";
        var modules = SuiteHost.Modules().Append(new SampleModule()).ToList();
        var app = SuiteHost.Build(["--environment", "Testing"], modules, builder =>
        {
            builder.WebHost.UseUrls(baseUrl);
            builder.WebHost.UseStaticWebAssets();
            builder.Configuration["Suite:DataDirectory"] = dataDirectory;
            builder.Configuration["Suite:RateLimits:SignInPerMinute"] = "1000";
            builder.Configuration["Suite:Jobs:RetryDelay"] = "00:00:01";
            if (postgresConnectionString is not null)
            {
                builder.Configuration["Suite:Database:Provider"] = "PostgreSql";
                builder.Configuration["ConnectionStrings:Default"] = postgresConnectionString;
            }
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
                builder.Configuration[key] = value;
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.AspNetCore.Diagnostics", LogLevel.Error);
        });
        if (!await DatabaseStartup.MigrateAsync(app.Services, app.Logger))
            throw new InvalidOperationException("The test portal's database could not be migrated (see the log).");
        await app.StartAsync();
        return new SuiteTestHost(app, baseUrl, dataDirectory, ownsData);
    }

    public T GetRequiredService<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsData)
            try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
