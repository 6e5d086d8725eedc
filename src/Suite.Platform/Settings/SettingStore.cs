using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Settings;

/// <summary>The one value store for settings and features. Reads are cached per scope and dropped on write;
/// secrets are encrypted with Data Protection and only decrypted here.</summary>
internal sealed class SettingStore(IDbContextFactory<PlatformDbContext> contexts, IDataProtectionProvider protection, IMemoryCache cache, SettingRegistry registry)
{
    private readonly IDataProtector _secrets = protection.CreateProtector("Suite.Settings.Secrets");

    public async Task<IReadOnlyList<StoredSettingValue>> ValuesForAsync(SettingTarget target, CancellationToken cancellationToken)
    {
        var result = new List<StoredSettingValue>();
        result.AddRange(await ScopeValuesAsync(SettingScope.Global, null, cancellationToken));
        if (target.TenantId is { } tenant) result.AddRange(await ScopeValuesAsync(SettingScope.Tenant, tenant, cancellationToken));
        if (target.DepartmentId is { } department) result.AddRange(await ScopeValuesAsync(SettingScope.Department, department, cancellationToken));
        if (target.UserId is { } user) result.AddRange(await ScopeValuesAsync(SettingScope.User, user, cancellationToken));
        return result;
    }

    public async Task<IReadOnlyList<StoredSettingValue>> ScopeValuesAsync(SettingScope scope, Guid? scopeId, CancellationToken cancellationToken)
    {
        var key = $"suite:settings:{scope}:{scopeId}";
        if (cache.TryGetValue(key, out IReadOnlyList<StoredSettingValue>? cached) && cached is not null)
            return cached;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.SettingValues.AsNoTracking().Where(v => v.Scope == scope && v.ScopeId == scopeId).ToListAsync(cancellationToken);
        var values = rows.Select(r => new StoredSettingValue(r.Name, r.Scope, r.ScopeId, Reveal(r))).ToList();
        cache.Set(key, (IReadOnlyList<StoredSettingValue>)values, TimeSpan.FromMinutes(5));
        return values;
    }

    /// <summary>Writes (or clears, with null) one value; returns the previous raw value (masked for secrets) for the audit log.</summary>
    public async Task<(string? Before, string? After)> WriteAsync(PlatformDbContext db, SettingDefinition definition, SettingScope scope, Guid? scopeId, Guid? tenantId, string? value, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var row = await db.SettingValues.FirstOrDefaultAsync(v => v.Name == definition.Name && v.Scope == scope && v.ScopeId == scopeId, cancellationToken);
        var before = row is null ? null : Mask(definition, Reveal(row));
        if (string.IsNullOrEmpty(value))
        {
            if (row is not null)
                db.SettingValues.Remove(row);
        }
        else
        {
            if (row is null)
            {
                row = new SettingValue { Id = Guid.NewGuid(), Name = definition.Name, Scope = scope, ScopeId = scopeId, TenantId = tenantId };
                db.SettingValues.Add(row);
            }
            row.Value = definition.Type == SettingType.Secret ? _secrets.Protect(value) : value;
            row.UpdatedAt = now;
        }
        return (before, Mask(definition, string.IsNullOrEmpty(value) ? null : value));
    }

    public void Evict(SettingScope scope, Guid? scopeId) => cache.Remove($"suite:settings:{scope}:{scopeId}");

    private string? Reveal(SettingValue row)
    {
        if (row.Value is null || registry.Find(row.Name) is not { Type: SettingType.Secret })
            return row.Value;
        try
        {
            return _secrets.Unprotect(row.Value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // key ring lost: treat as unset rather than failing every page
        }
    }

    private static string? Mask(SettingDefinition definition, string? value) =>
        definition.Type == SettingType.Secret && value is not null ? "••••••" : value;
}

internal sealed class SettingProvider(SettingStore store, SettingRegistry registry, ITenantContext tenant, IConfiguration configuration) : ISettingProvider
{
    public Task<T> GetAsync<T>(Setting<T> setting, CancellationToken cancellationToken = default) =>
        GetAsync(setting, new SettingTarget(tenant.TenantId, tenant.ActiveDepartmentId, tenant.UserId), cancellationToken);

    public async Task<T> GetAsync<T>(Setting<T> setting, SettingTarget target, CancellationToken cancellationToken = default)
    {
        var definition = registry.Find(setting.Name) ?? setting.Definition;
        var values = await store.ValuesForAsync(target, cancellationToken);
        return SettingResolution.Convert<T>(SettingResolution.Resolve(definition, target, values, configuration).Value);
    }
}
