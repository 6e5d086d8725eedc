using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;
using Suite.Platform.Settings;

namespace Suite.Platform.Features.Settings;

/// <summary>One row of a generated settings form: the definition, the value set at this scope (if any) and what
/// applies when it is left empty.</summary>
internal sealed record SettingFormRow(SettingDefinition Definition, string? OwnValue, ResolvedSetting Inherited);

/// <summary>Where a settings form writes: the installation, one ministry, or one department of it.</summary>
internal sealed record SettingScopeRef(SettingScope Scope, Guid? TenantId, Guid? DepartmentId)
{
    public Guid? ScopeId => Scope switch
    {
        SettingScope.Tenant => TenantId,
        SettingScope.Department => DepartmentId,
        _ => null,
    };

    /// <summary>The target whose parents supply the inherited value.</summary>
    public SettingTarget ParentTarget => Scope switch
    {
        SettingScope.Department => new SettingTarget(TenantId, null, null),
        _ => new SettingTarget(null, null, null),
    };
}

internal sealed class SettingAdministration(
    IDbContextFactory<PlatformDbContext> contexts,
    SettingStore store,
    SettingRegistry registry,
    AdminScope scope,
    AuditLog audit,
    IConfiguration configuration,
    TimeProvider clock)
{
    public bool CanEdit(SettingScopeRef where) => where.Scope switch
    {
        SettingScope.Global => scope.IsPlatformAdministrator,
        SettingScope.Tenant => where.TenantId is { } t && scope.CanAdministerTenant(t),
        SettingScope.Department => where.TenantId is { } t && where.DepartmentId is { } d && scope.CanAdministerDepartment(t, d),
        _ => false,
    };

    public async Task<IReadOnlyList<SettingFormRow>> FormAsync(SettingScopeRef where, string? moduleId, CancellationToken cancellationToken = default)
    {
        if (!CanEdit(where))
        {
            scope.LogRefusal("read settings", where);
            return [];
        }
        var own = await store.ScopeValuesAsync(where.Scope, where.ScopeId, cancellationToken);
        var parents = await store.ValuesForAsync(where.ParentTarget, cancellationToken);
        return registry.All
            .Where(d => d.Scopes.HasFlag((SettingScopes)where.Scope) && (moduleId is null || d.ModuleId == moduleId))
            .OrderBy(d => d.ModuleId == "platform" ? 0 : 1).ThenBy(d => d.ModuleId).ThenBy(d => d.Kind).ThenBy(d => d.Name)
            .Select(d => new SettingFormRow(d,
                d.Type == SettingType.Secret ? null : own.FirstOrDefault(v => v.Name == d.Name)?.Value,
                SettingResolution.Resolve(d, where.ParentTarget, parents, configuration)))
            .ToList();
    }

    /// <summary>Validates every field first; writes nothing if one is wrong. An empty field clears the value
    /// (inherit), except secrets, where empty means "keep" and the separate clear list removes them.</summary>
    public async Task<AdminResult> SaveAsync(SettingScopeRef where, IReadOnlyDictionary<string, string?> values, IReadOnlyCollection<string> clearSecrets, CancellationToken cancellationToken = default)
    {
        if (!CanEdit(where))
        {
            scope.LogRefusal("write settings", where);
            return AdminResult.Missing();
        }
        var result = new AdminResult();
        var changes = new List<(SettingDefinition Definition, string? Value)>();
        foreach (var (name, raw) in values)
        {
            var definition = registry.Find(name);
            if (definition is null || !definition.Scopes.HasFlag((SettingScopes)where.Scope))
            {
                result.Add(name, "Error.UnknownSetting");
                continue;
            }
            var value = string.IsNullOrWhiteSpace(raw) ? null : raw.Trim();
            if (definition.Type == SettingType.Bool && value is not null)
                value = value is "true" or "on" ? "true" : value is "false" or "off" ? "false" : value;
            if (definition.Validate(value) is { } error)
            {
                result.Add(name, error);
                continue;
            }
            if (definition.Type == SettingType.Secret && value is null)
                continue;
            changes.Add((definition, value));
        }
        foreach (var name in clearSecrets)
        {
            if (registry.Find(name) is { Type: SettingType.Secret } secret && secret.Scopes.HasFlag((SettingScopes)where.Scope))
                changes.Add((secret, null));
        }
        if (!result.Succeeded)
            return result;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var (definition, value) in changes)
        {
            var (before, after) = await store.WriteAsync(db, definition, where.Scope, where.ScopeId, where.TenantId, value, now, cancellationToken);
            if (before != after)
                audit.Record(db, "setting.changed", $"{where.Scope.ToString().ToLowerInvariant()}:{where.ScopeId?.ToString() ?? "global"}:{definition.Name}", where.TenantId, before, after);
        }
        await db.SaveChangesAsync(cancellationToken);
        store.Evict(where.Scope, where.ScopeId);
        return result;
    }
}
