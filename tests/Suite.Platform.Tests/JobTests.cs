using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Suite.Kernel.Jobs;
using Suite.Platform.Data;
using Suite.Platform.Jobs;
using Suite.Testing;
using Suite.Testing.Sample;

namespace Suite.Platform.Tests;

/// <summary>Durable jobs on Quartz's ADO store, on SQLite and on PostgreSQL: per-ministry recurring jobs follow the
/// module switches, failures are retried with back-off, and the admin page shows runs and failures.</summary>
public abstract class JobTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : PortalWorld
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_per_ministry_job_runs_only_for_the_ministries_where_its_module_is_enabled()
    {
        var log = world.Host.GetRequiredService<JobLog>();
        var interieur = await TenantIdAsync("interieur");
        await Eventually(() => log.Entries.Count(e => e.Job == nameof(SampleHeartbeat) && e.Tenant == interieur) >= 2, "two heartbeats for the Interior ministry");
        Assert.All(log.Entries.Where(e => e.Job == nameof(SampleHeartbeat)), e => Assert.Equal(interieur, e.Tenant));
    }

    [Fact]
    public async Task A_failing_job_is_retried_with_back_off_and_the_jobs_page_shows_each_failure()
    {
        var log = world.Host.GetRequiredService<JobLog>();
        var interieur = await TenantIdAsync("interieur");
        var data = "flaky-" + Guid.NewGuid().ToString("N");
        await world.Host.GetRequiredService<IJobQueue>().EnqueueAsync<SampleFlakyJob>(interieur, data);

        await Eventually(() => log.Entries.Any(e => e.Data == data && e.Attempt == 3), "the third attempt");
        Assert.Equal([1, 2, 3], log.Entries.Where(e => e.Data == data).Select(e => e.Attempt));

        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var page = await EventuallyPage(admin, "/admin/jobs?failed=true", p => p.Text.Contains("Sample failure on attempt 2"));
        var runs = page.Document.QuerySelector("#job-runs")!;
        Assert.Contains("Sample failure on attempt 1", runs.TextContent);
        Assert.Contains("nouvelle tentative prévue", runs.TextContent);
        Assert.DoesNotContain("Réussie", runs.TextContent);
        var jobs = page.Document.QuerySelector("#jobs")!;
        Assert.Contains("sample.SampleFlakyJob", jobs.TextContent);
        Assert.Contains("sample.SampleHeartbeat", jobs.TextContent);
        Assert.Contains("pour chaque ministère où le module est activé (planifiées : 1)", jobs.TextContent);
    }

    [Fact]
    public async Task A_job_queued_for_a_ministry_where_its_module_is_off_is_skipped_not_run()
    {
        var log = world.Host.GetRequiredService<JobLog>();
        var culture = await TenantIdAsync("culture");
        var data = "off-" + Guid.NewGuid().ToString("N");
        await world.Host.GetRequiredService<IJobQueue>().EnqueueAsync<SampleFlakyJob>(culture, data);

        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var page = await EventuallyPage(admin, "/admin/jobs", p => p.Document.QuerySelectorAll("#job-runs tr")
            .Any(r => r.TextContent.Contains("Ministère de la Culture") && r.TextContent.Contains("Ignorée")));
        Assert.Contains("switched off", page.Document.QuerySelector("#job-runs")!.TextContent);
        Assert.DoesNotContain(log.Entries, e => e.Data == data);
    }

    [Fact]
    public async Task A_ministry_administrator_sees_only_the_runs_of_their_ministry_and_cannot_start_jobs()
    {
        var interieur = await TenantIdAsync("interieur");
        await Eventually(() => world.Host.GetRequiredService<JobLog>().Entries.Any(e => e.Tenant == interieur), "a run for the Interior ministry");
        using var carla = await world.SignInAsync("carla@culture.test");
        var own = await carla.GetAsync("/admin/m/culture/jobs");
        Assert.Equal(HttpStatusCode.OK, own.Status);
        Assert.NotNull(own.Document.QuerySelector("#jobs"));
        Assert.DoesNotContain("Intérieur", own.Document.QuerySelector("main")!.TextContent);
        Assert.Null(own.Document.QuerySelector("#jobs button[name=job]"));
        Assert.Equal(HttpStatusCode.NotFound, (await carla.GetAsync("/admin/m/interieur/jobs")).Status);
        Assert.NotEqual(HttpStatusCode.OK, (await carla.GetAsync("/admin/jobs")).Status);
    }

    [Fact]
    public async Task The_platform_administrator_runs_a_job_by_hand_and_the_run_is_audited()
    {
        var log = world.Host.GetRequiredService<JobLog>();
        var before = log.Entries.Count(e => e.Job == nameof(SampleHeartbeat) && e.Data == null);
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var page = await admin.GetAsync("/admin/jobs");
        var done = await admin.SubmitOnAsync(page, "#jobs-form", new Dictionary<string, string>(), ("job", "sample.SampleHeartbeat"));
        Assert.Contains("Exécution de « sample.SampleHeartbeat » demandée.", done.Text);
        var audit = await admin.GetAsync("/admin/audit");
        Assert.Contains("job.run-now", audit.Document.QuerySelector("#audit")!.TextContent);
        await EventuallyPage(admin, "/admin/jobs", p => p.Document.QuerySelectorAll("#job-runs tr").Any(r => r.TextContent.Contains("lancée à la main")));
        Assert.True(log.Entries.Count(e => e.Job == nameof(SampleHeartbeat)) > before);
    }

    [Fact]
    public async Task The_health_probe_covers_the_database_and_the_scheduler()
    {
        var checks = world.Host.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Select(r => r.Name).ToList();
        Assert.Contains("database", checks);
        Assert.Contains("scheduler", checks);
        using var client = new PortalClient(world.Host.BaseUrl);
        using var health = await client.RawGetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }

    private async Task<Guid> TenantIdAsync(string slug)
    {
        await using var scope = world.Host.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PlatformDbContext>>().CreateDbContextAsync();
        return await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
    }

    internal static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {what}.");
            await Task.Delay(200);
        }
    }

    private static async Task<PortalClient.Page> EventuallyPage(PortalClient client, string path, Func<PortalClient.Page, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var page = await client.GetAsync(path);
            if (condition(page))
                return page;
            Assert.True(DateTime.UtcNow < deadline, $"Waited {Patience.TotalSeconds} s for {path} to show what was expected. Last page:\n{page.Document.QuerySelector("main")?.TextContent}");
            await Task.Delay(500);
        }
    }
}

public sealed class Jobs_on_sqlite(SqliteWorld world) : JobTests<SqliteWorld>(world);

public sealed class Jobs_on_postgresql(PostgresWorld world) : JobTests<PostgresWorld>(world);

/// <summary>A run queued before a restart happens after it: the schedule lives in the database, not the process.</summary>
public sealed class JobDurabilityTests
{
    [Fact]
    public async Task A_queued_run_survives_a_restart_on_sqlite() => await SurvivesRestartAsync(null);

    [Fact]
    public async Task A_queued_run_survives_a_restart_on_postgresql()
    {
        await using var server = await PostgresServer.StartAsync();
        await SurvivesRestartAsync(await server.CreateDatabaseAsync());
    }

    private static async Task SurvivesRestartAsync(string? postgres)
    {
        var data = Directory.CreateTempSubdirectory("suite-restart-").FullName;
        try
        {
            var payload = "durable-" + Guid.NewGuid().ToString("N");
            await using (var first = await SuiteTestHost.StartAsync(postgres, dataDirectory: data))
            {
                await first.GetRequiredService<QuartzJobQueue>().ScheduleAsync<SampleFlakyJob>(null, DateTimeOffset.UtcNow.AddSeconds(6), payload);
            }
            await using var second = await SuiteTestHost.StartAsync(postgres, dataDirectory: data);
            var log = second.GetRequiredService<JobLog>();
            await JobTests<SqliteWorld>.Eventually(() => log.Entries.Any(e => e.Data == payload && e.Attempt == 3), "the queued run, retried to success, after the restart");
            Assert.Equal([1, 2, 3], log.Entries.Where(e => e.Data == payload).Select(e => e.Attempt));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }
}
