using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;
using Suite.Kernel.Jobs;
using Suite.Kernel.Modules;
using Suite.Platform.Data;

namespace Suite.Platform.Jobs;

/// <summary>Asks for a schedule reconciliation soon (after a module switch or a ministry change).</summary>
internal sealed class JobScheduleSignal
{
    private readonly SemaphoreSlim _requested = new(0, 1);

    public void Request()
    {
        if (_requested.CurrentCount == 0)
            try { _requested.Release(); } catch (SemaphoreFullException) { }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _requested.WaitAsync(timeout, cancellationToken);
}

/// <summary>Keeps Quartz's stored schedule equal to what the modules declare: one durable Quartz job per declared job,
/// and one recurring trigger per installation-wide job or per (job, ministry where its module is enabled). Runs at
/// start, when signalled, and every "Suite:Jobs:SyncInterval" (default one minute) as a safety net. Safe on every
/// node of a cluster at once: each change is one idempotent store operation.</summary>
internal sealed class RecurringJobSync(
    IServiceScopeFactory scopes,
    ISchedulerFactory schedulers,
    JobCatalog catalog,
    JobRetry retry,
    JobScheduleSignal signal,
    IConfiguration configuration,
    ILogger<RecurringJobSync> logger) : BackgroundService
{
    private readonly TimeSpan _interval = configuration.GetValue("Suite:Jobs:SyncInterval", TimeSpan.FromMinutes(1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SyncAsync(stoppingToken);
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                logger.LogError(error, "Could not reconcile the recurring job schedule; will try again");
            }
            try
            {
                await signal.WaitAsync(_interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulers.GetScheduler(cancellationToken)
            ?? throw new InvalidOperationException("The job scheduler is not configured.");

        foreach (var definition in catalog.All)
        {
            var detail = Quartz.JobBuilder.Create<SuiteJobRunner>()
                .WithIdentity(JobKeys.Job(definition.Name))
                .WithDescription(definition.ModuleId)
                .StoreDurably()
                .Build();
            if (await scheduler.GetJobDetail(detail.Key, cancellationToken) is null)
                await AddIgnoringRaceAsync(async () => await scheduler.AddJob(detail, cancellationToken: cancellationToken));
        }
        foreach (var stale in await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(JobKeys.JobGroup), cancellationToken))
            if (catalog.Find(stale.Name) is null)
                await scheduler.DeleteJob(stale, cancellationToken);

        var wanted = await WantedTriggersAsync(cancellationToken);
        var existing = await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(JobKeys.RecurringGroup), cancellationToken);
        foreach (var key in existing.Where(k => !wanted.ContainsKey(k)))
            await scheduler.UnscheduleJob(key, cancellationToken);
        foreach (var (key, (definition, tenantId)) in wanted)
        {
            var current = await scheduler.GetTrigger(key, cancellationToken) as ISimpleTrigger;
            if (current is not null && current.RepeatInterval == definition.Interval)
                continue;
            var trigger = TriggerBuilder.Create()
                .WithIdentity(key)
                .ForJob(JobKeys.Job(definition.Name))
                .UsingJobData(JobKeys.TenantKey, tenantId?.ToString() ?? "")
                .WithRetryPolicy(retry.PolicyFor(definition))
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(definition.Interval!.Value).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount))
                .Build();
            if (current is null)
                await AddIgnoringRaceAsync(async () => await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken));
            else
                await scheduler.RescheduleJob(key, trigger, cancellationToken);
        }
    }

    private async Task<Dictionary<TriggerKey, (JobDefinition Definition, Guid? TenantId)>> WantedTriggersAsync(CancellationToken cancellationToken)
    {
        var wanted = new Dictionary<TriggerKey, (JobDefinition, Guid?)>();
        var recurring = catalog.All.Where(d => d.Interval is not null).ToList();
        foreach (var definition in recurring.Where(d => !d.PerTenant))
            wanted[JobKeys.Recurring(definition.Name, null)] = (definition, null);
        var perTenant = recurring.Where(d => d.PerTenant).ToList();
        if (perTenant.Count == 0)
            return wanted;

        await using var scope = scopes.CreateAsyncScope();
        await using var platform = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PlatformDbContext>>().CreateDbContextAsync(cancellationToken);
        var tenants = await platform.Tenants.AsNoTracking().Select(t => t.Id).ToListAsync(cancellationToken);
        var gate = scope.ServiceProvider.GetRequiredService<IModuleGate>();
        foreach (var tenant in tenants)
        {
            var enabled = await gate.EnabledModulesForAsync(tenant, null, cancellationToken);
            foreach (var definition in perTenant.Where(d => catalog.IsAlwaysOn(d) || enabled.Contains(d.ModuleId)))
                wanted[JobKeys.Recurring(definition.Name, tenant)] = (definition, tenant);
        }
        return wanted;
    }

    /// <summary>Another node may have stored the same object between our check and our write.</summary>
    private static async Task AddIgnoringRaceAsync(Func<Task> add)
    {
        try
        {
            await add();
        }
        catch (ObjectAlreadyExistsException)
        {
        }
    }
}
