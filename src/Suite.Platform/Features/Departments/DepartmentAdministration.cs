using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;
using Suite.Platform.Tenancy;

namespace Suite.Platform.Features.Departments;

internal sealed record DepartmentSummary(Guid Id, string Name, string Slug, Guid? ParentId, int MemberCount);

internal sealed class DepartmentAdministration(IDbContextFactory<PlatformDbContext> contexts, AdminScope scope, AuditLog audit, ModuleSwitchCacheEviction eviction)
{
    public async Task<IReadOnlyList<DepartmentSummary>> ListAsync(Guid tenantId, CancellationToken cancellationToken = default)
    {
        if (!scope.CanViewTenantAdministration(tenantId))
        {
            scope.LogRefusal("list departments", tenantId);
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking()
            .Where(d => d.TenantId == tenantId)
            .OrderBy(d => d.Name)
            .Select(d => new DepartmentSummary(d.Id, d.Name, d.Slug, d.ParentId,
                db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly).Count(m => m.DepartmentId == d.Id)))
            .ToListAsync(cancellationToken);
    }

    public async Task<AdminResult<Guid>> CreateAsync(Guid tenantId, string? name, string? slug, Guid? parentId, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("create department", tenantId);
            return new() { Result = AdminResult.Missing() };
        }
        name = Validation.Clean(name);
        slug = Validation.Clean(slug).ToLowerInvariant();
        var result = new AdminResult();
        if (name.Length is 0 or > 200) result.Add("Name", "Error.NameRequired");
        if (!Validation.IsSlug(slug)) result.Add("Slug", "Error.SlugFormat");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var departments = db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).Where(d => d.TenantId == tenantId);
        if (result.Succeeded && await departments.AnyAsync(d => d.Slug == slug, cancellationToken))
            result.Add("Slug", "Error.SlugTaken");
        if (parentId is { } parent && !await departments.AnyAsync(d => d.Id == parent, cancellationToken))
            result.Add("ParentId", "Error.UnknownDepartment");
        if (!result.Succeeded)
            return new() { Result = result };

        var department = new Department { Id = Guid.NewGuid(), TenantId = tenantId, Name = name, Slug = slug, ParentId = parentId };
        db.Departments.Add(department);
        audit.Record(db, "department.created", $"department:{slug}", tenantId, null, new { name, slug, parentId });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new() { Result = AdminResult.Error("Slug", "Error.SlugTaken") };
        }
        eviction.Tenant(tenantId);
        return new() { Value = department.Id };
    }

    /// <summary>Refused while the department still has members or sub-departments: nothing is lost silently.</summary>
    public async Task<AdminResult> DeleteAsync(Guid tenantId, Guid departmentId, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("delete department", departmentId);
            return AdminResult.Missing();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var department = await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly)
            .FirstOrDefaultAsync(d => d.Id == departmentId && d.TenantId == tenantId, cancellationToken);
        if (department is null)
            return AdminResult.Missing();
        var members = await db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly).CountAsync(m => m.DepartmentId == departmentId, cancellationToken);
        if (members > 0)
            return AdminResult.Error("", "Error.DepartmentHasMembers");
        if (await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AnyAsync(d => d.ParentId == departmentId, cancellationToken))
            return AdminResult.Error("", "Error.DepartmentHasChildren");
        db.Departments.Remove(department);
        db.ModuleSwitches.RemoveRange(await db.ModuleSwitches.IgnoreQueryFilters(QueryFilterNames.TenantOnly).Where(s => s.DepartmentId == departmentId).ToListAsync(cancellationToken));
        audit.Record(db, "department.deleted", $"department:{department.Slug}", tenantId, new { department.Name, department.Slug }, null);
        await db.SaveChangesAsync(cancellationToken);
        eviction.Tenant(tenantId);
        return AdminResult.Ok();
    }
}
