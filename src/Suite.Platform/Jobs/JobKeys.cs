using Quartz;

namespace Suite.Platform.Jobs;

/// <summary>How Suite's jobs are named inside Quartz: one durable Quartz job per declared job, a "recurring" trigger
/// per (job, ministry) or per job for installation-wide ones, and one-shot "queued" triggers.</summary>
internal static class JobKeys
{
    public const string SchedulerName = "suite";
    public const string JobGroup = "suite";
    public const string RecurringGroup = "recurring";
    public const string QueuedGroup = "queued";
    public const string TenantKey = "suite.tenant";
    public const string DataKey = "suite.data";
    private const string Installation = "all";

    public static JobKey Job(string jobName) => new(jobName, JobGroup);

    public static TriggerKey Recurring(string jobName, Guid? tenantId) =>
        new(jobName + "@" + (tenantId?.ToString("N") ?? Installation), RecurringGroup);

    public static TriggerKey Queued(string jobName, Guid? tenantId) =>
        new(jobName + "@" + (tenantId?.ToString("N") ?? Installation) + "/" + Guid.NewGuid().ToString("N"), QueuedGroup);

    /// <summary>The ministry a trigger name is for (null for installation-wide or unrecognised names).</summary>
    public static Guid? TenantOf(string triggerName)
    {
        var at = triggerName.LastIndexOf('@');
        if (at < 0)
            return null;
        var rest = triggerName.AsSpan(at + 1);
        var slash = rest.IndexOf('/');
        return Guid.TryParseExact(slash >= 0 ? rest[..slash] : rest, "N", out var tenant) ? tenant : null;
    }
}
