using Suite.Platform.Modules;

namespace Suite.Platform.Tenancy;

/// <summary>One place that drops cached scopes and switches after an administrative change.</summary>
internal sealed class ModuleSwitchCacheEviction(ModuleSwitchReader switches, UserScopeLoader users)
{
    public void Tenant(Guid tenantId) => switches.Evict(tenantId);

    public void User(Guid userId) => users.Evict(userId);
}
