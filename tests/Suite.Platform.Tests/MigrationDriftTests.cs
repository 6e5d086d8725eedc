using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Kernel.Modules;
using Suite.Testing;
using Suite.Testing.Sample;
using Suite.Web;

namespace Suite.Platform.Tests;

/// <summary>The hand-written migrations must build exactly the schema the EF model describes: every module's
/// database is built twice — once by its migrations, once from the model — and the two schemas are compared.</summary>
public sealed class MigrationDriftTests
{
    [Fact]
    public async Task Migrations_build_the_same_schema_as_the_model_on_sqlite()
    {
        var migrated = Directory.CreateTempSubdirectory("suite-drift-").FullName;
        var created = Directory.CreateTempSubdirectory("suite-drift-").FullName;
        try
        {
            var fromMigrations = await SchemasAsync(Build(migrated, null), migrate: true);
            var fromModel = await SchemasAsync(Build(created, null), migrate: false);
            AssertSame(fromModel, fromMigrations);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(migrated, true);
            Directory.Delete(created, true);
        }
    }

    [Fact]
    public async Task Migrations_build_the_same_schema_as_the_model_on_postgresql()
    {
        await using var server = await PostgresServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("suite-drift-").FullName;
        try
        {
            var fromMigrations = await SchemasAsync(Build(data, await server.CreateDatabaseAsync()), migrate: true);
            var fromModel = await SchemasAsync(Build(data, await server.CreateDatabaseAsync()), migrate: false);
            AssertSame(fromModel, fromMigrations);
        }
        finally
        {
            Directory.Delete(data, true);
        }
    }

    private static void AssertSame(IReadOnlyDictionary<string, List<string>> expected, IReadOnlyDictionary<string, List<string>> actual)
    {
        Assert.NotEmpty(expected);
        foreach (var (module, lines) in expected)
        {
            var missing = lines.Except(actual[module]).ToList();
            var extra = actual[module].Except(lines).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                $"Module '{module}': the migrations drift from the model.\nOnly in the model:\n  {string.Join("\n  ", missing)}\nOnly in the migrations:\n  {string.Join("\n  ", extra)}");
        }
    }

    private static WebApplication Build(string dataDirectory, string? postgres) =>
        SuiteHost.Build(["--environment", "Testing"], [.. SuiteHost.Modules(), new SampleModule()], builder =>
        {
            builder.Configuration["Suite:DataDirectory"] = dataDirectory;
            if (postgres is not null)
            {
                builder.Configuration["Suite:Database:Provider"] = "PostgreSql";
                builder.Configuration["ConnectionStrings:Default"] = postgres;
            }
        });

    /// <summary>Tables, columns (type, nullability), primary keys, foreign keys and indexes of every module database.</summary>
    private static async Task<Dictionary<string, List<string>>> SchemasAsync(WebApplication app, bool migrate)
    {
        await using var _ = app;
        if (migrate)
            Assert.True(await DatabaseStartup.MigrateAsync(app.Services, NullLogger.Instance));
        var result = new Dictionary<string, List<string>>();
        foreach (var registration in app.Services.GetServices<ModuleDbContextRegistration>())
        {
            await using var scope = app.Services.CreateAsyncScope();
            await using var context = DatabaseStartup.CreateContext(scope.ServiceProvider, registration);
            if (!migrate)
            {
                // Not EnsureCreated: on PostgreSQL every module shares one database, and EnsureCreated does nothing
                // once another module's tables exist.
                var creator = Microsoft.EntityFrameworkCore.Infrastructure.AccessorExtensions.GetService<Microsoft.EntityFrameworkCore.Storage.IRelationalDatabaseCreator>(context.Database);
                if (!await creator.ExistsAsync())
                    await creator.CreateAsync();
                await creator.CreateTablesAsync();
            }
            var connection = context.Database.GetDbConnection();
            await connection.OpenAsync();
            result[registration.ModuleId] = context.Database.IsSqlite()
                ? await SqliteSchemaAsync(connection)
                : await PostgresSchemaAsync(connection, registration.ModuleId);
        }
        return result;
    }

    private static async Task<List<string>> SqliteSchemaAsync(DbConnection connection)
    {
        var lines = new List<string>();
        var tables = await QueryAsync(connection, "select name from sqlite_master where type = 'table' and name not in ('__EFMigrationsHistory', '__EFMigrationsLock')");
        foreach (var table in tables.Select(t => t[0]))
        {
            foreach (var c in await QueryAsync(connection, $"select name, type, \"notnull\", pk from pragma_table_info('{table}')"))
                lines.Add($"column {table}.{c[0]} {c[1]} notnull={c[2]} pk={c[3]}");
            foreach (var f in await QueryAsync(connection, $"select \"from\", \"table\", \"to\", on_delete from pragma_foreign_key_list('{table}')"))
                lines.Add($"fk {table}.{f[0]} -> {f[1]}.{f[2]} {f[3]}");
            foreach (var i in await QueryAsync(connection, $"select name, \"unique\" from pragma_index_list('{table}') where origin = 'c'"))
            {
                var columns = await QueryAsync(connection, $"select name from pragma_index_info('{i[0]}') order by seqno");
                lines.Add($"index {table}.{i[0]} unique={i[1]} ({string.Join(",", columns.Select(c => c[0]))})");
            }
        }
        return lines;
    }

    private static async Task<List<string>> PostgresSchemaAsync(DbConnection connection, string schema)
    {
        var lines = new List<string>();
        foreach (var c in await QueryAsync(connection,
                     $"select table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length::text, ''), coalesce(identity_generation, '') from information_schema.columns where table_schema = '{schema}' and table_name <> '__EFMigrationsHistory'"))
            lines.Add($"column {c[0]}.{c[1]} {c[2]}({c[4]}) nullable={c[3]} identity={c[5]}");
        foreach (var i in await QueryAsync(connection, $"select tablename, indexname, indexdef from pg_indexes where schemaname = '{schema}' and tablename <> '__EFMigrationsHistory'"))
            lines.Add($"index {i[0]}.{i[1]} {i[2]}");
        foreach (var k in await QueryAsync(connection,
                     $"select conrelid::regclass::text, conname, pg_get_constraintdef(oid) from pg_constraint where connamespace = '{schema}'::regnamespace and conrelid::regclass::text not like '%__EFMigrationsHistory%'"))
            lines.Add($"constraint {k[0]}.{k[1]} {k[2]}");
        return lines;
    }

    private static async Task<List<string[]>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
        return rows;
    }
}
