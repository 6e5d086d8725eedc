using Xunit;

namespace Suite.Testing;

/// <summary>
/// One PostgreSQL server shared by a test collection. Each test assembly declares the collection once:
/// <c>[CollectionDefinition(PostgresFixture.Collection)] public sealed class PostgresCollection : ICollectionFixture&lt;PostgresFixture&gt;;</c>
/// then marks its classes <c>[Collection(PostgresFixture.Collection)]</c> and gives each test its own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string Collection = "Postgres";

    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not started.");

    public Task<string> CreateDatabaseAsync(string? name = null) => Server.CreateDatabaseAsync(name);

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
