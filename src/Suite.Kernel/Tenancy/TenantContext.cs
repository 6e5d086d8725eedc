using Suite.Kernel.Authorization;

namespace Suite.Kernel.Tenancy;

/// <summary>Who is acting, in which ministry and department. Scoped: set once per request, circuit, job or event.
/// Empty (no tenant) means every tenant-scoped query returns nothing.</summary>
public interface ITenantContext
{
    Guid? UserId { get; }
    Guid? TenantId { get; }
    Guid? ActiveDepartmentId { get; }
    IReadOnlyList<Guid> DepartmentIds { get; }
    SuiteRole Role { get; }
    /// <summary>Departments this user administers (department administrators only).</summary>
    IReadOnlyList<Guid> AdministeredDepartmentIds { get; }
    bool IsSet { get; }
    string? DisplayName { get; }
}

public sealed record TenantScope(
    Guid? UserId,
    Guid? TenantId,
    Guid? ActiveDepartmentId,
    IReadOnlyList<Guid> DepartmentIds,
    SuiteRole Role,
    IReadOnlyList<Guid> AdministeredDepartmentIds,
    string? DisplayName = null)
{
    public static readonly TenantScope Empty = new(null, null, null, [], SuiteRole.Member, []);

    /// <summary>A scope for background work inside one ministry (jobs, event handlers): sees ministry-wide rows and the given departments.</summary>
    public static TenantScope ForTenant(Guid tenantId, Guid? departmentId = null) =>
        new(null, tenantId, departmentId, departmentId is { } d ? [d] : [], SuiteRole.Member, []);
}

/// <summary>The one mutable implementation, registered scoped. Only the host's middleware, the circuit handler,
/// the job runner and the event bus set it.</summary>
public sealed class TenantContext : ITenantContext
{
    private TenantScope _scope = TenantScope.Empty;

    public Guid? UserId => _scope.UserId;
    public Guid? TenantId => _scope.TenantId;
    public Guid? ActiveDepartmentId => _scope.ActiveDepartmentId;
    public IReadOnlyList<Guid> DepartmentIds => _scope.DepartmentIds;
    public SuiteRole Role => _scope.Role;
    public IReadOnlyList<Guid> AdministeredDepartmentIds => _scope.AdministeredDepartmentIds;
    public bool IsSet => _scope != TenantScope.Empty;
    public string? DisplayName => _scope.DisplayName;

    public TenantScope Scope => _scope;

    public void Set(TenantScope scope) => _scope = scope;
}

/// <summary>A row owned by one ministry. The "tenant" query filter hides every other ministry's rows.</summary>
public interface ITenantScoped
{
    Guid TenantId { get; set; }
}

/// <summary>A row that may belong to one department (null = ministry-wide). The "department" filter shows it
/// to members of that department only.</summary>
public interface IDepartmentScoped
{
    Guid? DepartmentId { get; set; }
}

public static class QueryFilterNames
{
    public const string Tenant = "tenant";
    public const string Department = "department";

    /// <summary>For IgnoreQueryFilters inside expression trees, where collection literals are not allowed.</summary>
    public static readonly IReadOnlyCollection<string> TenantOnly = [Tenant];
}
