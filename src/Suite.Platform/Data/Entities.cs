using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;

namespace Suite.Platform.Data;

/// <summary>A ministry (or any organisation) using the suite.</summary>
internal sealed class Tenant
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string ShortName { get; set; }
    public required string Slug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class Department : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? ParentId { get; set; }
    public required string Name { get; set; }
    public required string Slug { get; set; }
}

/// <summary>A user's place in a department. Department administrators administer that department only.</summary>
internal sealed class Membership : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public Guid DepartmentId { get; set; }
    public bool IsDepartmentAdministrator { get; set; }
}

/// <summary>A module switched on or off for a ministry (DepartmentId null) or one department.</summary>
internal sealed class ModuleSwitch : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? DepartmentId { get; set; }
    public required string ModuleId { get; set; }
    public bool Enabled { get; set; }
}

/// <summary>One stored setting value at one scope. Read through the setting store, which checks the scope:
/// global values have no ministry, so the row cannot carry the tenant filter.</summary>
[CrossTenant("Global values belong to no ministry; SettingStore filters by scope explicitly.")]
internal sealed class SettingValue
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public Kernel.Settings.SettingScope Scope { get; set; }
    public Guid? ScopeId { get; set; }
    public Guid? TenantId { get; set; }
    /// <summary>Plain text, or Data Protection ciphertext for secrets.</summary>
    public string? Value { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

[CrossTenant("Installation-wide actions have no ministry; AuditLog reads filter by the reader's scope explicitly.")]
internal sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public Guid? ActorId { get; set; }
    public required string ActorName { get; set; }
    public Guid? TenantId { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>An invitation sent by email; the token itself is only in the link, the row keeps its hash.</summary>
internal sealed class Invitation : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public required string TokenHash { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
}

/// <summary>An entry of a user's notifications area.</summary>
internal sealed class Notification : ITenantScoped
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public required string ModuleId { get; set; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public string? Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>ASP.NET Data Protection key ring, in the database so that restarts and other nodes can decrypt.</summary>
[CrossTenant("The key ring serves the whole installation.")]
internal sealed class DataProtectionKey
{
    public int Id { get; set; }
    public string? FriendlyName { get; set; }
    public required string Xml { get; set; }
}
