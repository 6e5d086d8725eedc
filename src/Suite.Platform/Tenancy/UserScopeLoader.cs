using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Suite.Kernel.Authorization;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Tenancy;

/// <summary>Builds a user's <see cref="TenantScope"/> (ministry, departments, active department, role) from the
/// database, cached briefly; every change to users, memberships or departments evicts the user's entry.</summary>
internal sealed class UserScopeLoader(IDbContextFactory<PlatformDbContext> contexts, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async Task<TenantScope?> LoadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(Key(userId), out TenantScope? cached))
            return cached;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        TenantScope? scope = null;
        if (user is { IsActive: true })
        {
            var memberships = user.TenantId is { } tenantId
                ? await db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking()
                    .Where(m => m.UserId == userId && m.TenantId == tenantId)
                    .Select(m => new { m.DepartmentId, m.IsDepartmentAdministrator })
                    .ToListAsync(cancellationToken)
                : [];
            var departments = memberships.Select(m => m.DepartmentId).ToList();
            var administered = memberships.Where(m => m.IsDepartmentAdministrator).Select(m => m.DepartmentId).ToList();
            var role = user.IsPlatformAdministrator ? SuiteRole.PlatformAdministrator
                : user.IsMinistryAdministrator && user.TenantId is not null ? SuiteRole.MinistryAdministrator
                : administered.Count > 0 ? SuiteRole.DepartmentAdministrator
                : SuiteRole.Member;
            var active = user.ActiveDepartmentId is { } a && departments.Contains(a) ? a : departments.FirstOrDefault() is var first && first != Guid.Empty ? first : (Guid?)null;
            scope = new TenantScope(user.Id, user.TenantId, active, departments, role, administered, user.DisplayName);
        }
        cache.Set(Key(userId), scope, Lifetime);
        return scope;
    }

    public void Evict(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => "suite:user-scope:" + userId;
}
