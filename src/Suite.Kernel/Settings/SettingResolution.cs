using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Suite.Kernel.Settings;

/// <summary>The scope a value is looked up for: who is asking, in which department of which ministry.</summary>
public readonly record struct SettingTarget(Guid? TenantId, Guid? DepartmentId, Guid? UserId);

/// <summary>One stored value (already decrypted for secrets).</summary>
public sealed record StoredSettingValue(string Name, SettingScope Scope, Guid? ScopeId, string? Value);

/// <summary>Where a resolved value came from — shown in the admin UI as "inherited from …".</summary>
public enum SettingSource
{
    Default,
    Configuration,
    Global,
    Tenant,
    Department,
    User,
}

public sealed record ResolvedSetting(SettingDefinition Definition, string? Value, SettingSource Source);

/// <summary>Pure resolution of the chain User → Department → Tenant → Global → configuration → default.
/// Values stored at a scope the definition does not allow are ignored, so a stale row cannot widen a setting.</summary>
public static class SettingResolution
{
    public static ResolvedSetting Resolve(SettingDefinition definition, SettingTarget target, IEnumerable<StoredSettingValue> stored, IConfiguration configuration)
    {
        var values = stored.Where(v => v.Name == definition.Name).ToList();

        if (Pick(definition, values, SettingScope.User, target.UserId) is { } user)
            return new(definition, user, SettingSource.User);
        if (Pick(definition, values, SettingScope.Department, target.DepartmentId) is { } department)
            return new(definition, department, SettingSource.Department);
        if (Pick(definition, values, SettingScope.Tenant, target.TenantId) is { } tenant)
            return new(definition, tenant, SettingSource.Tenant);
        if (Pick(definition, values, SettingScope.Global, null) is { } global)
            return new(definition, global, SettingSource.Global);
        if (configuration[ConfigurationKey(definition.Name)] is { Length: > 0 } configured && definition.Validate(configured) is null)
            return new(definition, configured, SettingSource.Configuration);
        return new(definition, definition.DefaultValue, SettingSource.Default);
    }

    public static string ConfigurationKey(string settingName) => "Suite:Settings:" + settingName;

    private static string? Pick(SettingDefinition definition, List<StoredSettingValue> values, SettingScope scope, Guid? scopeId)
    {
        if (!definition.Scopes.HasFlag((SettingScopes)scope))
            return null;
        if (scope != SettingScope.Global && scopeId is null)
            return null;
        foreach (var value in values)
        {
            if (value.Scope == scope && value.ScopeId == scopeId && !string.IsNullOrEmpty(value.Value) && definition.Validate(value.Value) is null)
                return value.Value;
        }
        return null;
    }

    public static T Convert<T>(string? raw)
    {
        object? result = typeof(T) switch
        {
            var t when t == typeof(bool) => raw is not null && bool.Parse(raw),
            var t when t == typeof(int) => raw is null ? 0 : int.Parse(raw, CultureInfo.InvariantCulture),
            var t when t == typeof(string) => raw ?? string.Empty,
            _ => throw new NotSupportedException($"Settings of type {typeof(T).Name} are not supported."),
        };
        return (T)result;
    }
}

/// <summary>What modules use to read settings for the current user (or an explicit target in jobs).</summary>
public interface ISettingProvider
{
    Task<T> GetAsync<T>(Setting<T> setting, CancellationToken cancellationToken = default);

    Task<T> GetAsync<T>(Setting<T> setting, SettingTarget target, CancellationToken cancellationToken = default);
}
