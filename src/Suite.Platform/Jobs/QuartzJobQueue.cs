using Quartz;
using Suite.Kernel.Jobs;

namespace Suite.Platform.Jobs;

/// <summary><see cref="IJobQueue"/> on Quartz: each queued run is a durable one-shot trigger, so it survives a restart
/// and runs on whichever node of a cluster picks it up.</summary>
internal sealed class QuartzJobQueue(ISchedulerFactory schedulers, JobCatalog catalog, JobRetry retry, TimeProvider clock) : IJobQueue
{
    public Task EnqueueAsync<TJob>(Guid? tenantId, string? data = null, CancellationToken cancellationToken = default) where TJob : class, ISuiteJob =>
        ScheduleAsync<TJob>(tenantId, clock.GetUtcNow(), data, cancellationToken);

    public async Task ScheduleAsync<TJob>(Guid? tenantId, DateTimeOffset runAt, string? data = null, CancellationToken cancellationToken = default) where TJob : class, ISuiteJob
    {
        var definition = catalog.For(typeof(TJob));
        await EnqueueAsync(definition, tenantId, runAt, data, cancellationToken);
    }

    public async Task EnqueueAsync(JobDefinition definition, Guid? tenantId, DateTimeOffset runAt, string? data, CancellationToken cancellationToken)
    {
        var trigger = TriggerBuilder.Create()
            .WithIdentity(JobKeys.Queued(definition.Name, tenantId))
            .ForJob(JobKeys.Job(definition.Name))
            .UsingJobData(JobKeys.TenantKey, tenantId?.ToString() ?? "")
            .UsingJobData(JobKeys.DataKey, data ?? "")
            .WithRetryPolicy(retry.PolicyFor(definition))
            .StartAt(runAt)
            .Build();
        var scheduler = await schedulers.GetScheduler(cancellationToken)
            ?? throw new InvalidOperationException("The job scheduler is not running.");
        await scheduler.ScheduleJob(trigger, cancellationToken: cancellationToken);
    }
}
