using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Suite.Kernel.Jobs;

/// <summary>A durable background job. The scheduler runs it in its own scope with the job's ministry as tenant,
/// only while its module is enabled there, and retries it with back-off when it throws.</summary>
public interface ISuiteJob
{
    Task ExecuteAsync(JobContext context, CancellationToken cancellationToken);
}

/// <param name="TenantId">The ministry the run is for (null for installation-wide jobs).</param>
/// <param name="Data">Small string payload given when the job was queued.</param>
/// <param name="Attempt">1 for the first try.</param>
public sealed record JobContext(Guid? TenantId, string? Data, int Attempt);

/// <param name="Name">"&lt;module&gt;.&lt;job&gt;", stable across releases: it keys the persisted schedule.</param>
/// <param name="Interval">For recurring jobs; null for jobs that are only queued.</param>
/// <param name="PerTenant">Recurring once per ministry where the module is enabled, rather than once.</param>
public sealed record JobDefinition(string ModuleId, string Name, Type JobType, TimeSpan? Interval, bool PerTenant, int MaxAttempts);

public sealed class JobBuilder(string moduleId, IServiceCollection? services = null)
{
    private readonly List<JobDefinition> _definitions = [];

    internal IServiceCollection? Services { get; set; } = services;

    public IReadOnlyList<JobDefinition> Definitions => _definitions;

    public JobBuilder Recurring<TJob>(TimeSpan interval, bool perTenant, int maxAttempts = 3) where TJob : class, ISuiteJob
    {
        if (interval < TimeSpan.FromSeconds(1))
            throw new Modules.ModuleConfigurationException($"Job {typeof(TJob).Name}: interval must be at least one second.");
        return Add<TJob>(interval, perTenant, maxAttempts);
    }

    /// <summary>A job only run when queued through <see cref="IJobQueue"/>.</summary>
    public JobBuilder OnDemand<TJob>(int maxAttempts = 3) where TJob : class, ISuiteJob => Add<TJob>(null, false, maxAttempts);

    private JobBuilder Add<TJob>(TimeSpan? interval, bool perTenant, int maxAttempts) where TJob : class, ISuiteJob
    {
        Services?.TryAddScoped<TJob>();
        _definitions.Add(new JobDefinition(moduleId, JobName(moduleId, typeof(TJob)), typeof(TJob), interval, perTenant, Math.Max(1, maxAttempts)));
        return this;
    }

    public static string JobName(string moduleId, Type jobType) => moduleId + "." + jobType.Name;
}

public interface IJobQueue
{
    Task EnqueueAsync<TJob>(Guid? tenantId, string? data = null, CancellationToken cancellationToken = default) where TJob : class, ISuiteJob;
}
