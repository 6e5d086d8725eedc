using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;
using Suite.Platform.Modules;
using Suite.Platform.Tenancy;

namespace Suite.Platform.Features.ModuleSwitches;

/// <param name="Switch">The value stored at this level: true, false or null (inherit).</param>
/// <param name="Effective">Whether the module ends up usable at this level, after ceiling and dependencies.</param>
internal sealed record ModuleSwitchRow(ModuleManifest Manifest, bool? Switch, bool Effective, bool Inherited);

internal sealed class ModuleAdministration(
    IDbContextFactory<PlatformDbContext> contexts,
    ModuleCatalog catalog,
    IModuleGate gate,
    ModuleSwitchReader reader,
    AdminScope scope,
    AuditLog audit,
    ModuleSwitchCacheEviction eviction)
{
    /// <summary>Modules a ministry can switch: every available module but the always-on platform.</summary>
    public IEnumerable<ModuleManifest> Switchable => catalog.Modules.Where(m => !m.Manifest.AlwaysOn).Select(m => m.Manifest);

    public async Task<IReadOnlyList<ModuleSwitchRow>> ForAsync(Guid tenantId, Guid? departmentId, CancellationToken cancellationToken = default)
    {
        if (!scope.CanViewTenantAdministration(tenantId))
            return [];
        var switches = await reader.ReadAsync(tenantId, cancellationToken);
        var effective = await gate.EnabledModulesForAsync(tenantId, departmentId, cancellationToken);
        return Switchable.Select(m =>
        {
            bool? own = departmentId is { } d
                ? switches.Departments.TryGetValue(d, out var layer) && layer.TryGetValue(m.Id, out var dv) ? dv : null
                : switches.Tenant.TryGetValue(m.Id, out var tv) ? tv : null;
            return new ModuleSwitchRow(m, own, effective.Contains(m.Id), own is null);
        }).ToList();
    }

    /// <summary>Ministry level: the platform administrator decides (it is the ceiling for every department).
    /// Department level: the ministry administrator decides, inside that ceiling.</summary>
    public async Task<AdminResult> SetAsync(Guid tenantId, Guid? departmentId, string moduleId, bool? enabled, CancellationToken cancellationToken = default)
    {
        var allowed = departmentId is null ? scope.IsPlatformAdministrator : scope.CanAdministerTenant(tenantId);
        var module = catalog.Find(moduleId);
        if (!allowed || module is null || module.Manifest.AlwaysOn)
        {
            scope.LogRefusal("switch module", $"{tenantId}/{departmentId}/{moduleId}");
            return AdminResult.Missing();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (departmentId is { } department && !await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AnyAsync(d => d.Id == department && d.TenantId == tenantId, cancellationToken))
            return AdminResult.Missing();

        if (enabled == true)
        {
            var effectiveAbove = await gate.EnabledModulesForAsync(tenantId, departmentId, cancellationToken);
            if (departmentId is not null && !(await gate.EnabledModulesForAsync(tenantId, null, cancellationToken)).Contains(moduleId))
                return AdminResult.Error(moduleId, "Error.ModuleNotEnabledForMinistry");
            var missing = module.Manifest.Requires.Where(r => !effectiveAbove.Contains(r)).ToList();
            if (missing.Count > 0)
                return AdminResult.Error(moduleId, "Error.ModuleRequires:" + string.Join(", ", missing));
        }
        if (enabled == false)
        {
            var effective = await gate.EnabledModulesForAsync(tenantId, departmentId, cancellationToken);
            var dependants = catalog.Modules.Where(m => m.Manifest.Requires.Contains(moduleId) && effective.Contains(m.Manifest.Id)).Select(m => m.Manifest.Id).ToList();
            if (dependants.Count > 0)
                return AdminResult.Error(moduleId, "Error.ModuleRequiredBy:" + string.Join(", ", dependants));
        }

        var row = await db.ModuleSwitches.IgnoreQueryFilters(QueryFilterNames.TenantOnly)
            .FirstOrDefaultAsync(s => s.TenantId == tenantId && s.DepartmentId == departmentId && s.ModuleId == moduleId, cancellationToken);
        var before = row?.Enabled;
        if (enabled is null)
        {
            if (row is not null) db.ModuleSwitches.Remove(row);
        }
        else if (row is null)
        {
            db.ModuleSwitches.Add(new ModuleSwitch { Id = Guid.NewGuid(), TenantId = tenantId, DepartmentId = departmentId, ModuleId = moduleId, Enabled = enabled.Value });
        }
        else
        {
            row.Enabled = enabled.Value;
        }
        audit.Record(db, "module.switched", departmentId is null ? $"ministry:{tenantId}:{moduleId}" : $"department:{departmentId}:{moduleId}", tenantId,
            new { enabled = before }, new { enabled });
        await db.SaveChangesAsync(cancellationToken);
        eviction.Tenant(tenantId);
        return AdminResult.Ok();
    }
}
