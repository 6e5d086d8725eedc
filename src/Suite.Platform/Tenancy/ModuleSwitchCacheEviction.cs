using Suite.Platform.Jobs;
using Suite.Platform.Modules;

namespace Suite.Platform.Tenancy;

/// <summary>One place that drops cached scopes and switches after an administrative change.</summary>
internal sealed class ModuleSwitchCacheEviction(ModuleSwitchReader switches, UserScopeLoader users, JobScheduleSignal jobSchedule)
{
    /// <summary>Also reconciles the recurring jobs, which follow the ministry's module switches.</summary>
    public void Tenant(Guid tenantId)
    {
        switches.Evict(tenantId);
        jobSchedule.Request();
    }

    public void User(Guid userId) => users.Evict(userId);
}
