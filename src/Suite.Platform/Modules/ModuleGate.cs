using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Modules;

/// <summary>Reads one ministry's switches and department tree, cached until an administrator changes them.</summary>
internal sealed class ModuleSwitchReader(IDbContextFactory<PlatformDbContext> contexts, IMemoryCache cache)
{
    internal sealed record TenantSwitches(
        IReadOnlyDictionary<string, bool> Tenant,
        IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, bool>> Departments,
        IReadOnlyDictionary<Guid, Guid?> Parents);

    public async Task<TenantSwitches> ReadAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(Key(tenantId), out TenantSwitches? cached) && cached is not null)
            return cached;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ModuleSwitches.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking()
            .Where(s => s.TenantId == tenantId).ToListAsync(cancellationToken);
        var parents = await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking()
            .Where(d => d.TenantId == tenantId).ToDictionaryAsync(d => d.Id, d => d.ParentId, cancellationToken);
        var result = new TenantSwitches(
            rows.Where(r => r.DepartmentId is null).ToDictionary(r => r.ModuleId, r => r.Enabled, StringComparer.Ordinal),
            rows.Where(r => r.DepartmentId is not null).GroupBy(r => r.DepartmentId!.Value)
                .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, bool>)g.ToDictionary(r => r.ModuleId, r => r.Enabled, StringComparer.Ordinal)),
            parents.ToDictionary(p => p.Key, p => p.Value));
        cache.Set(Key(tenantId), result, TimeSpan.FromMinutes(5));
        return result;
    }

    public void Evict(Guid tenantId) => cache.Remove(Key(tenantId));

    public static ModuleSwitches ForDepartment(TenantSwitches switches, Guid? departmentId)
    {
        var chain = new List<IReadOnlyDictionary<string, bool>>();
        var seen = new HashSet<Guid>();
        var current = departmentId;
        while (current is { } id && seen.Add(id) && switches.Parents.ContainsKey(id))
        {
            if (switches.Departments.TryGetValue(id, out var layer))
                chain.Add(layer);
            current = switches.Parents[id];
        }
        return new ModuleSwitches(switches.Tenant, chain);
    }

    private static string Key(Guid tenantId) => "suite:module-switches:" + tenantId;
}

internal sealed class ModuleGate(ModuleCatalog catalog, ITenantContext tenant, ModuleSwitchReader reader, IConfiguration configuration) : IModuleGate
{
    private IReadOnlySet<string>? _current;

    public async Task<IReadOnlySet<string>> EnabledModulesAsync(CancellationToken cancellationToken = default)
    {
        if (_current is not null)
            return _current;
        if (tenant.TenantId is not { } tenantId)
        {
            // No ministry (platform administrators, anonymous): only what is always on.
            return _current = catalog.Modules.Where(m => m.Manifest.AlwaysOn).Select(m => m.Manifest.Id).ToHashSet(StringComparer.Ordinal);
        }
        return _current = await EnabledModulesForAsync(tenantId, tenant.ActiveDepartmentId, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> EnabledModulesForAsync(Guid tenantId, Guid? departmentId, CancellationToken cancellationToken = default)
    {
        var switches = await reader.ReadAsync(tenantId, cancellationToken);
        return ModuleEnablement.Effective(catalog, ModuleSwitchReader.ForDepartment(switches, departmentId), EnabledByDefault);
    }

    private bool EnabledByDefault(string moduleId) =>
        configuration.GetValue<bool?>($"Suite:Modules:{moduleId}:EnabledByDefault") ?? false;
}
