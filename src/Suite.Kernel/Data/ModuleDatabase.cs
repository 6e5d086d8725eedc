using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Suite.Kernel.Data;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

/// <summary>Connection and provider choice for every module context. Each module has its own connection string
/// "ConnectionStrings:&lt;id&gt;", falling back to "Default"; "{module}" in it is replaced by the module id, which is how
/// the embedded SQLite default gives each module its own file (SQLite has no schemas).</summary>
public sealed class ModuleDatabase
{
    public const string DefaultSqlite = "Data Source={data}/suite-{module}.db";

    private readonly IConfiguration _configuration;
    private readonly string _dataDirectory;
    private readonly Action<DbContextOptionsBuilder, DatabaseProvider, string, string> _configureProvider;

    /// <param name="configureProvider">Provided by the host: calls UseSqlite/UseNpgsql (the kernel knows neither).</param>
    public ModuleDatabase(IConfiguration configuration, string dataDirectory, Action<DbContextOptionsBuilder, DatabaseProvider, string, string> configureProvider)
    {
        _configuration = configuration;
        _dataDirectory = dataDirectory;
        _configureProvider = configureProvider;
        Provider = ParseProvider(configuration["Suite:Database:Provider"]);
    }

    public DatabaseProvider Provider { get; }

    public static DatabaseProvider ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => DatabaseProvider.Sqlite,
        "postgresql" or "postgres" or "npgsql" => DatabaseProvider.PostgreSql,
        _ => throw new InvalidOperationException($"Suite:Database:Provider '{value}' is not supported: use Sqlite or PostgreSql."),
    };

    public string ConnectionStringFor(string moduleId)
    {
        var raw = _configuration.GetConnectionString(moduleId)
            ?? _configuration.GetConnectionString("Default")
            ?? (Provider == DatabaseProvider.Sqlite ? DefaultSqlite : throw new InvalidOperationException("ConnectionStrings:Default is not set."));
        return raw.Replace("{module}", moduleId, StringComparison.Ordinal).Replace("{data}", _dataDirectory, StringComparison.Ordinal);
    }

    public void Configure(DbContextOptionsBuilder options, string moduleId) =>
        _configureProvider(options, Provider, ConnectionStringFor(moduleId), moduleId);

    /// <summary>SQLite ignores schemas; PostgreSQL gets one schema per module.</summary>
    public static string? SchemaFor(string? providerName, string schema) =>
        providerName is not null && providerName.Contains("Sqlite", StringComparison.OrdinalIgnoreCase) ? null : schema;
}
