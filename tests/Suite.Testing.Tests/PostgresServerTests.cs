using System.Net.Sockets;
using Npgsql;

namespace Suite.Testing.Tests;

[Collection(PostgresFixture.Collection)]
public sealed class PostgresServerTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_fresh_database_runs_PostgreSQL_15()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        var version = await ScalarAsync<string>(connectionString, "select version()");

        Assert.StartsWith("PostgreSQL 15.", version);
    }

    [Fact]
    public async Task The_server_listens_on_loopback_only_and_is_UTF8()
    {
        var connectionString = await postgres.CreateDatabaseAsync();

        Assert.Equal("127.0.0.1", await ScalarAsync<string>(connectionString, "show listen_addresses"));
        Assert.Equal("UTF8", await ScalarAsync<string>(connectionString, "show server_encoding"));
        Assert.Equal("off", await ScalarAsync<string>(connectionString, "show fsync"));
    }

    [Fact]
    public async Task Two_databases_are_isolated()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();

        await ScalarAsync<int>(first, "create table note(id int); insert into note values (1); select count(*)::int from note");

        Assert.Equal(1, await ScalarAsync<int>(first, "select count(*)::int from note"));
        Assert.False(await ScalarAsync<bool>(second, "select to_regclass('note') is not null"));
        Assert.NotEqual(
            await ScalarAsync<string>(first, "select current_database()"),
            await ScalarAsync<string>(second, "select current_database()"));
    }

    [Fact]
    public async Task A_named_database_gets_that_name_and_a_bad_name_is_refused()
    {
        var name = $"named_{Guid.NewGuid():N}"[..20];

        var connectionString = await postgres.CreateDatabaseAsync(name);

        Assert.Equal(name, await ScalarAsync<string>(connectionString, "select current_database()"));
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.CreateDatabaseAsync("x\"; drop database postgres; --"));
    }

    [Fact]
    public async Task Databases_can_be_created_concurrently()
    {
        var connectionStrings = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => postgres.CreateDatabaseAsync()));

        var names = await Task.WhenAll(connectionStrings.Select(c => ScalarAsync<string>(c, "select current_database()")));

        Assert.Equal(8, names.Distinct().Count());
    }

    [Fact]
    public async Task Disposal_stops_the_server_and_deletes_its_folder()
    {
        var server = await PostgresServer.StartAsync(CancellationToken.None);
        var connectionString = await server.CreateDatabaseAsync();
        Assert.Equal(1, await ScalarAsync<int>(connectionString, "select 1"));

        await server.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync("127.0.0.1", server.Port));
        Assert.False(Directory.Exists(server.RootDirectory));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => server.CreateDatabaseAsync());
    }

    [Fact]
    public void Missing_binaries_give_a_message_that_says_how_to_install_them()
    {
        var empty = Directory.CreateTempSubdirectory("suite-pg-bin-test-").FullName;
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => PostgresServer.FindBinDirectory(null, empty));
            Assert.Contains("bash build/test.sh", error.Message);
            Assert.Throws<InvalidOperationException>(() => PostgresServer.FindBinDirectory(empty, "/usr/lib/postgresql"));
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
