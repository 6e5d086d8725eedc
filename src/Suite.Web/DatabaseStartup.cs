using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Suite.Kernel.Data;
using Suite.Kernel.Modules;

namespace Suite.Web;

/// <summary>Applies every module's migrations at start-up, in module order. A database that cannot be reached or
/// a migration that fails stops the process with a clear message and a non-zero exit code.</summary>
public static class DatabaseStartup
{
    public static async Task<bool> MigrateAsync(IServiceProvider services, ILogger logger, CancellationToken cancellationToken = default)
    {
        var database = services.GetRequiredService<ModuleDatabase>();
        foreach (var registration in services.GetServices<ModuleDbContextRegistration>())
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await using var context = CreateContext(scope.ServiceProvider, registration);
                var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
                await context.Database.MigrateAsync(cancellationToken);
                if (pending.Count > 0)
                    logger.LogInformation("Module {Module}: applied migrations {Migrations}", registration.ModuleId, string.Join(", ", pending));
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogCritical("Module {Module}: database {Provider} at '{Where}' cannot be migrated: {Reason}",
                    registration.ModuleId, database.Provider, Redact(database.ConnectionStringFor(registration.ModuleId)), error.GetBaseException().Message);
                await Console.Error.WriteLineAsync($"Suite cannot start: the database of module '{registration.ModuleId}' cannot be reached or migrated ({error.GetBaseException().Message}). Check ConnectionStrings and Suite:Database:Provider.");
                return false;
            }
        }
        return true;
    }

    internal static DbContext CreateContext(IServiceProvider services, ModuleDbContextRegistration registration)
    {
        var factoryType = typeof(IDbContextFactory<>).MakeGenericType(registration.ContextType);
        var factory = services.GetRequiredService(factoryType);
        return (DbContext)factoryType.GetMethod(nameof(IDbContextFactory<DbContext>.CreateDbContext))!.Invoke(factory, null)!;
    }

    private static string Redact(string connectionString) =>
        string.Join(';', connectionString.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}

internal sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        foreach (var registration in services.GetServices<ModuleDbContextRegistration>())
        {
            await using var scope = services.CreateAsyncScope();
            await using var db = DatabaseStartup.CreateContext(scope.ServiceProvider, registration);
            if (!await db.Database.CanConnectAsync(cancellationToken))
                return HealthCheckResult.Unhealthy($"Database of module '{registration.ModuleId}' is unreachable.");
        }
        return HealthCheckResult.Healthy();
    }
}
