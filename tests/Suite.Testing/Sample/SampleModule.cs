using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Events;
using Suite.Kernel.Jobs;
using Suite.Kernel.Modules;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;

namespace Suite.Testing.Sample;

/// <summary>A module used only by tests: a page, an API, a setting, a feature, an event handler, a slot contribution
/// and jobs, all of which must follow the module's enablement.</summary>
public sealed class SampleModule : ISuiteModule
{
    public const string Id = "sample";

    public static readonly Setting<string> Greeting = Define.String(Id, "sample.greeting", "Bonjour", SettingScopes.AllButUser, "Sample.Greeting");
    public static readonly Setting<bool> Extras = Define.Feature(Id, "sample.extras", false, "Sample.Extras");

    public ModuleManifest Manifest { get; } = new(Id, "Sample", []);

    public void Build(ModuleBuilder m)
    {
        m.AddPages(typeof(SampleModule).Assembly);
        m.Navigation.Item("Sample", "/sample", "star", descriptionKey: "A module used by tests");
        m.Settings.Add(Greeting);
        m.Features.Toggle(Extras);
        m.Slots.Contribute<SampleWidget>(ShellSlots.HomeWidgets);
        m.Events.On<SamplePinged, RecordPing>();
        m.Services.AddSingleton<PingLog>();
        // Hourly unless a test asks for a faster beat ("Sample:HeartbeatInterval").
        m.Jobs.Recurring<SampleHeartbeat>(TimeSpan.TryParse(m.Configuration["Sample:HeartbeatInterval"], System.Globalization.CultureInfo.InvariantCulture, out var beat) ? beat : TimeSpan.FromHours(1), perTenant: true);
        m.Jobs.OnDemand<SampleFlakyJob>(maxAttempts: 3);
        m.Services.AddSingleton<JobLog>();
        m.MapEndpoints(api => api.MapPost("/notify", async (ITenantContext tenant, Suite.Kernel.Notifications.INotifier notifier) =>
        {
            await notifier.NotifyAsync(Id, tenant.UserId!.Value, new Suite.Kernel.Notifications.NotificationMessage("Échantillon prêt", "Le module d'exemple a fini.", "/sample"));
            return Results.NoContent();
        }));
        m.MapEndpoints(api => api.MapGet("/ping", async (ITenantContext tenant, ISettingProvider settings, IEventBus events) =>
        {
            await events.PublishAsync(new SamplePinged(tenant.UserId!.Value), tenant.TenantId);
            return Results.Ok(new { tenant = tenant.TenantId, greeting = await settings.GetAsync(Greeting) });
        }));
    }
}

public sealed record SamplePinged(Guid UserId);

/// <summary>Remembers which ministries' pings the handler saw, so tests can tell whether it ran.</summary>
public sealed class PingLog
{
    private readonly List<(Guid? Tenant, Guid User)> _entries = [];

    public IReadOnlyList<(Guid? Tenant, Guid User)> Entries { get { lock (_entries) return [.. _entries]; } }

    public void Add(Guid? tenant, Guid user) { lock (_entries) _entries.Add((tenant, user)); }
}

internal sealed class RecordPing(PingLog log, ITenantContext tenant) : IEventHandler<SamplePinged>
{
    public Task HandleAsync(SamplePinged @event, CancellationToken cancellationToken)
    {
        log.Add(tenant.TenantId, @event.UserId);
        return Task.CompletedTask;
    }
}

/// <summary>Every run of the sample jobs: which ministry, which job, which attempt, with what data.</summary>
public sealed class JobLog
{
    private readonly List<(Guid? Tenant, string Job, int Attempt, string? Data)> _entries = [];

    public IReadOnlyList<(Guid? Tenant, string Job, int Attempt, string? Data)> Entries { get { lock (_entries) return [.. _entries]; } }

    public void Add(Guid? tenant, string job, int attempt, string? data) { lock (_entries) _entries.Add((tenant, job, attempt, data)); }
}

/// <summary>A recurring per-ministry job: records that it ran, and for whom its scope was set.</summary>
public sealed class SampleHeartbeat(JobLog log, ITenantContext tenant) : ISuiteJob
{
    public Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        if (tenant.TenantId != context.TenantId)
            throw new InvalidOperationException("The job's scope is not its ministry's.");
        log.Add(tenant.TenantId, nameof(SampleHeartbeat), context.Attempt, context.Data);
        return Task.CompletedTask;
    }
}

/// <summary>Fails its first two attempts, then succeeds: shows retries with back-off.</summary>
public sealed class SampleFlakyJob(JobLog log) : ISuiteJob
{
    public Task ExecuteAsync(JobContext context, CancellationToken cancellationToken)
    {
        log.Add(context.TenantId, nameof(SampleFlakyJob), context.Attempt, context.Data);
        if (context.Attempt < 3)
            throw new InvalidOperationException($"Sample failure on attempt {context.Attempt}");
        return Task.CompletedTask;
    }
}
