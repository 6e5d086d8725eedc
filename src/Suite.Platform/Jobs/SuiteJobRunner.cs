using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Suite.Kernel.Jobs;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Jobs;

/// <summary>The one Quartz job class: runs a module's <see cref="ISuiteJob"/> in its own scope, with the trigger's
/// ministry as tenant (seeing all its departments' rows), only while the module is enabled for that ministry. A job
/// that throws is retried by Quartz under the trigger's retry policy.</summary>
internal sealed class SuiteJobRunner(IServiceScopeFactory scopes, JobCatalog catalog) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var definition = catalog.Find(context.JobDetail.Key.Name);
        if (definition is null)
        {
            context.Result = JobRunReport.Skipped("No loaded module declares this job any more.");
            return;
        }
        var tenantId = Guid.TryParse(context.MergedJobDataMap.GetString(JobKeys.TenantKey), out var t) ? t : (Guid?)null;
        var data = context.MergedJobDataMap.GetString(JobKeys.DataKey);

        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        if (tenantId is { } tenant)
        {
            await using var platform = await services.GetRequiredService<IDbContextFactory<PlatformDbContext>>().CreateDbContextAsync(cancellationToken);
            var ministry = await platform.Tenants.AsNoTracking().Where(x => x.Id == tenant).Select(x => x.Name).SingleOrDefaultAsync(cancellationToken);
            if (ministry is null)
            {
                context.Result = JobRunReport.Skipped("The ministry no longer exists.");
                return;
            }
            var departments = await platform.Departments.IgnoreQueryFilters().AsNoTracking()
                .Where(d => d.TenantId == tenant).Select(d => d.Id).ToListAsync(cancellationToken);
            services.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(tenant) with { DepartmentIds = departments, DisplayName = ministry });
            if (!catalog.IsAlwaysOn(definition)
                && !(await services.GetRequiredService<IModuleGate>().EnabledModulesForAsync(tenant, null, cancellationToken)).Contains(definition.ModuleId))
            {
                context.Result = JobRunReport.Skipped($"Module '{definition.ModuleId}' is switched off for this ministry.");
                return;
            }
        }

        var job = (ISuiteJob)services.GetRequiredService(definition.JobType);
        await job.ExecuteAsync(new JobContext(tenantId, data, context.RetryAttempt + 1), cancellationToken);
    }
}
