using Microsoft.Extensions.Logging;
using Suite.Kernel.Authorization;
using Suite.Kernel.Tenancy;

namespace Suite.Platform.Admin;

/// <summary>Least privilege per admin level: the platform administrator acts everywhere, a ministry administrator
/// inside their ministry, a department administrator inside the departments they administer. Refusals are logged.</summary>
internal sealed class AdminScope(ITenantContext me, ILogger<AdminScope> logger)
{
    public ITenantContext Me => me;

    public bool IsPlatformAdministrator => me.UserId is not null && me.Role == SuiteRole.PlatformAdministrator;

    public bool CanEnterAdministration => me.UserId is not null && me.Role >= SuiteRole.DepartmentAdministrator;

    public bool CanAdministerTenant(Guid tenantId) =>
        IsPlatformAdministrator || (me.Role == SuiteRole.MinistryAdministrator && me.TenantId == tenantId);

    public bool CanAdministerDepartment(Guid tenantId, Guid departmentId) =>
        CanAdministerTenant(tenantId) || (me.TenantId == tenantId && me.AdministeredDepartmentIds.Contains(departmentId));

    /// <summary>May see the ministry's administration at all (ministry or department administrator of it).</summary>
    public bool CanViewTenantAdministration(Guid tenantId) =>
        CanAdministerTenant(tenantId) || (me.TenantId == tenantId && me.AdministeredDepartmentIds.Count > 0);

    public void LogRefusal(string what, object? target) =>
        logger.LogWarning("Refused {What} on {Target} for user {User} (tenant {Tenant}, role {Role})", what, target, me.UserId, me.TenantId, me.Role);
}

/// <summary>Outcome of an administrative command: success, or errors keyed by field ("" for the whole form).</summary>
internal sealed class AdminResult
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Succeeded => _errors.Count == 0;
    public bool NotFound { get; private init; }
    public IReadOnlyDictionary<string, List<string>> Errors => _errors;

    public static AdminResult Ok() => new();
    public static AdminResult Missing() => new() { NotFound = true };

    public AdminResult Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    public static AdminResult Error(string field, string message) => new AdminResult().Add(field, message);
}

internal sealed class AdminResult<T>
{
    public AdminResult Result { get; init; } = AdminResult.Ok();
    public T? Value { get; init; }
    public bool Succeeded => Result.Succeeded;
}
