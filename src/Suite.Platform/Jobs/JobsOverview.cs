using Microsoft.EntityFrameworkCore;
using Quartz;
using Quartz.Extensibility;
using Suite.Kernel.Jobs;
using Suite.Platform.Audit;
using Suite.Platform.Data;

namespace Suite.Platform.Jobs;

internal sealed record JobRow(JobDefinition Definition, int ScheduledCount, DateTimeOffset? NextRunAt, DateTimeOffset? LastRunAt,
    JobRunResult? LastResult, DateTimeOffset? LastFailureAt, string? LastFailure, long RunCount, long FailureCount);

internal sealed record RunRow(DateTimeOffset FiredAt, string JobName, Guid? TenantId, string? Ministry, int Attempt, TimeSpan Duration,
    JobRunResult Result, bool RetryScheduled, bool Manual, string? Message);

/// <summary>What the jobs admin page shows: the declared jobs with their schedule and last outcome, and the recent
/// runs. A ministry's view is built only from that ministry's triggers and runs — never another ministry's failures.</summary>
internal sealed class JobsOverview(
    ISchedulerFactory schedulers,
    IExecutionHistoryStore history,
    JobCatalog catalog,
    IDbContextFactory<PlatformDbContext> contexts,
    AuditLog audit)
{
    public async Task<IReadOnlyList<JobRow>> ReadJobsAsync(Guid? tenantId, CancellationToken cancellationToken = default)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        var triggers = new List<ITrigger>();
        foreach (var group in new[] { JobKeys.RecurringGroup, JobKeys.QueuedGroup })
            foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(group), cancellationToken))
                if (tenantId is null || JobKeys.TenantOf(key.Name) == tenantId)
                    if (await scheduler.GetTrigger(key, cancellationToken) is { } trigger)
                        triggers.Add(trigger);

        Dictionary<string, JobRunStatus> statuses = [];
        List<RunRow> ministryRuns = [];
        if (tenantId is null)
            statuses = (await history.QueryJobRunStatuses(new JobRunStatusQuery { SchedulerName = JobKeys.SchedulerName, Take = PagedQuery.All }, cancellationToken))
                .Items.ToDictionary(s => s.Job.Name, StringComparer.Ordinal);
        else
            ministryRuns = [.. await ReadRunsAsync(tenantId, failuresOnly: false, 0, 500, cancellationToken)];

        var rows = new List<JobRow>();
        foreach (var definition in catalog.All)
        {
            var own = triggers.Where(t => t.JobKey.Name == definition.Name).ToList();
            var next = own.Select(t => t.NextFireTimeUtc).Where(t => t is not null).Min();
            if (tenantId is null)
            {
                statuses.TryGetValue(definition.Name, out var status);
                rows.Add(new JobRow(definition, own.Count(t => t.Key.Group == JobKeys.RecurringGroup), next, status?.LastFiredAtUtc, status?.LastResult,
                    status?.LastFailedAtUtc, status?.LastFailureMessage, status?.RunCount ?? 0, status?.FailureCount ?? 0));
            }
            else
            {
                var runs = ministryRuns.Where(r => r.JobName == definition.Name).ToList();
                var failure = runs.FirstOrDefault(r => r.Result == JobRunResult.Failed);
                rows.Add(new JobRow(definition, own.Count(t => t.Key.Group == JobKeys.RecurringGroup), next, runs.FirstOrDefault()?.FiredAt, runs.FirstOrDefault()?.Result,
                    failure?.FiredAt, failure?.Message, runs.Count, runs.Count(r => r.Result == JobRunResult.Failed && !r.RetryScheduled)));
            }
        }
        return rows;
    }

    public async Task<IReadOnlyList<RunRow>> ReadRunsAsync(Guid? tenantId, bool failuresOnly, int skip, int take, CancellationToken cancellationToken = default)
    {
        var query = new ExecutionHistoryQuery
        {
            SchedulerName = JobKeys.SchedulerName,
            TriggerContains = tenantId is { } t ? "@" + t.ToString("N") : null,
            Results = failuresOnly ? [JobRunResult.Failed] : null,
            Skip = Math.Max(0, skip),
            Take = Math.Clamp(take, 1, 500),
        };
        var page = await history.QueryExecutions(query, cancellationToken);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var names = await db.Tenants.AsNoTracking().ToDictionaryAsync(x => x.Id, x => x.Name, cancellationToken);
        return page.Items
            .Select(e =>
            {
                var tenant = JobKeys.TenantOf(e.TriggerName);
                return new RunRow(e.FiredAtUtc, e.JobName, tenant, tenant is { } id && names.TryGetValue(id, out var name) ? name : null,
                    e.RetryAttempt + 1, e.Duration, e.EffectiveResult, e.RetryScheduled, e.Manual, e.ExceptionMessage ?? e.Summary);
            })
            .Where(r => tenantId is null || r.TenantId == tenantId)
            .ToList();
    }

    /// <summary>Fires the job now, once per ministry for a per-ministry job (the run is skipped where the module is off).
    /// Quartz records these runs as manual; they are retried under the scheduler's default policy.</summary>
    public async Task<bool> RunNowAsync(string jobName, CancellationToken cancellationToken = default)
    {
        if (catalog.Find(jobName) is not { } definition)
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        IReadOnlyList<Guid?> tenants = definition.PerTenant
            ? (await db.Tenants.AsNoTracking().Select(x => x.Id).ToListAsync(cancellationToken)).Select(x => (Guid?)x).ToList()
            : [null];
        var scheduler = await SchedulerAsync(cancellationToken);
        foreach (var tenant in tenants)
            await scheduler.TriggerJob(JobKeys.Job(definition.Name), new JobDataMap { [JobKeys.TenantKey] = tenant?.ToString() ?? "" }, cancellationToken);
        audit.Record(db, "job.run-now", definition.Name, null, null, new { runs = tenants.Count });
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private async Task<IScheduler> SchedulerAsync(CancellationToken cancellationToken) =>
        await schedulers.GetScheduler(cancellationToken) ?? throw new InvalidOperationException("The job scheduler is not configured.");
}
