using Microsoft.EntityFrameworkCore;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;

namespace Suite.Platform.Features.Ministries;

internal sealed record MinistrySummary(Guid Id, string Name, string ShortName, string Slug, int DepartmentCount, int UserCount);

internal sealed class MinistryAdministration(IDbContextFactory<PlatformDbContext> contexts, AdminScope scope, AuditLog audit, TimeProvider clock)
{
    /// <summary>The ministries the caller may see in administration.</summary>
    public async Task<IReadOnlyList<MinistrySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tenants = db.Tenants.AsNoTracking();
        if (!scope.IsPlatformAdministrator)
        {
            var own = scope.Me.TenantId;
            if (own is null || !scope.CanViewTenantAdministration(own.Value))
                return [];
            tenants = tenants.Where(t => t.Id == own);
        }
        return await tenants.OrderBy(t => t.Name)
            .Select(t => new MinistrySummary(t.Id, t.Name, t.ShortName, t.Slug,
                db.Departments.IgnoreQueryFilters().Count(d => d.TenantId == t.Id),
                db.Users.Count(u => u.TenantId == t.Id)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>Finds a ministry by slug for its administration pages; null (a 404) when the caller may not see it.</summary>
    public async Task<Tenant?> FindForAdministrationAsync(string slug, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Slug == slug, cancellationToken);
        if (tenant is null)
            return null;
        if (!scope.CanViewTenantAdministration(tenant.Id))
        {
            scope.LogRefusal("ministry administration", slug);
            return null;
        }
        return tenant;
    }

    public async Task<AdminResult<Guid>> CreateAsync(string? name, string? shortName, string? slug, CancellationToken cancellationToken = default)
    {
        if (!scope.IsPlatformAdministrator)
        {
            scope.LogRefusal("create ministry", slug);
            return new() { Result = AdminResult.Missing() };
        }
        name = Validation.Clean(name);
        shortName = Validation.Clean(shortName);
        slug = Validation.Clean(slug).ToLowerInvariant();
        var result = new AdminResult();
        if (name.Length is 0 or > 200) result.Add("Name", "Error.NameRequired");
        if (shortName.Length is 0 or > 40) result.Add("ShortName", "Error.ShortNameRequired");
        if (!Validation.IsSlug(slug)) result.Add("Slug", "Error.SlugFormat");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (result.Succeeded && await db.Tenants.AnyAsync(t => t.Slug == slug, cancellationToken))
            result.Add("Slug", "Error.SlugTaken");
        if (!result.Succeeded)
            return new() { Result = result };

        var tenant = new Tenant { Id = Guid.NewGuid(), Name = name, ShortName = shortName, Slug = slug, CreatedAt = clock.GetUtcNow() };
        db.Tenants.Add(tenant);
        audit.Record(db, "ministry.created", $"ministry:{slug}", tenant.Id, null, new { name, shortName, slug });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new() { Result = AdminResult.Error("Slug", "Error.SlugTaken") };
        }
        return new() { Value = tenant.Id };
    }

    public async Task<AdminResult> UpdateAsync(Guid tenantId, string? name, string? shortName, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("update ministry", tenantId);
            return AdminResult.Missing();
        }
        name = Validation.Clean(name);
        shortName = Validation.Clean(shortName);
        var result = new AdminResult();
        if (name.Length is 0 or > 200) result.Add("Name", "Error.NameRequired");
        if (shortName.Length is 0 or > 40) result.Add("ShortName", "Error.ShortNameRequired");
        if (!result.Succeeded)
            return result;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
            return AdminResult.Missing();
        var before = new { tenant.Name, tenant.ShortName };
        tenant.Name = name;
        tenant.ShortName = shortName;
        audit.Record(db, "ministry.updated", $"ministry:{tenant.Slug}", tenant.Id, before, new { name, shortName });
        await db.SaveChangesAsync(cancellationToken);
        return result;
    }
}
