using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Suite.Kernel.Data;
using Suite.Kernel.Jobs;

namespace Suite.Platform.Jobs;

/// <summary>Quartz.NET with its ADO job store in the suite's own database: the "jobs" SQLite file by default, or the
/// "jobs" schema of the PostgreSQL database, clustered so that several portal nodes share one schedule. Quartz owns
/// those tables and creates what is missing at start (see docs/adr/0006).</summary>
internal static class JobScheduling
{
    public const string StoreId = "jobs";

    public static void Add(IServiceCollection services, IConfiguration configuration)
    {
        var database = new ModuleDatabase(configuration, configuration["Suite:DataDirectory"] ?? "data", static (_, _, _, _) => { });
        var connectionString = database.ConnectionStringFor(StoreId);
        var postgres = database.Provider == DatabaseProvider.PostgreSql;

        services.AddSingleton<JobCatalog>();
        services.AddSingleton<JobRetry>();
        services.AddSingleton<JobScheduleSignal>();
        services.AddSingleton<QuartzJobQueue>();
        services.AddSingleton<IJobQueue>(sp => sp.GetRequiredService<QuartzJobQueue>());
        services.AddTransient<SuiteJobRunner>();
        services.AddScoped<JobsOverview>();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(options =>
            {
                options.InstanceName = JobKeys.SchedulerName;
                options.GenerateInstanceId = true;
            });
            quartz.UsePersistentStore(store =>
            {
                store.UseSystemTextJsonSerializer();
                if (postgres)
                {
                    store.UsePostgres(connectionString);
                    store.ConfigureStore(options => options.TablePrefix = StoreId + ".qrtz_");
                    store.UseClustering();
                }
                else
                {
                    store.UseSqlite(connectionString);
                }
                store.ProvisionSchema();
                store.UseExecutionHistory();
            });
            quartz.UseDefaultRetryPolicy(RetryPolicy.Exponential(2, configuration.GetValue("Suite:Jobs:RetryDelay", TimeSpan.FromSeconds(30)), 2.0, TimeSpan.FromMinutes(30), 0.2));
            quartz.AddQuartzHealthChecks(options => options.Name = "scheduler");
        });
        if (postgres)
            services.AddHostedService(_ => new JobStoreSchema(connectionString, StoreId));
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddSingleton<RecurringJobSync>();
        services.AddHostedService(sp => sp.GetRequiredService<RecurringJobSync>());
    }
}

/// <summary>Creates the PostgreSQL schema Quartz's tables live in; Quartz creates the tables, not the schema. Registered
/// before Quartz's hosted service, and hosted services start one after another in that order.</summary>
internal sealed class JobStoreSchema(string connectionString, string schema) : Microsoft.Extensions.Hosting.IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE SCHEMA IF NOT EXISTS \"{schema}\"";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
