using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;
using Suite.Platform.Identity;
using Suite.Platform.Tenancy;

namespace Suite.Platform.Features.Users;

internal sealed record UserSummary(Guid Id, string DisplayName, string Email, bool IsActive, bool IsMinistryAdministrator, bool HasPassword, IReadOnlyList<UserDepartment> Departments);

internal sealed record UserDepartment(Guid DepartmentId, string Name, bool IsAdministrator);

internal sealed record NewUser(string DisplayName, string Email, Guid DepartmentId);

internal sealed class UserAdministration(
    IDbContextFactory<PlatformDbContext> contexts,
    AdminScope scope,
    AuditLog audit,
    Invitations invitations,
    ModuleSwitchCacheEviction eviction,
    ILookupNormalizer normalizer,
    TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>Users of one ministry; a department administrator sees the members of their departments only.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListAsync(Guid tenantId, string? search, int page, CancellationToken cancellationToken = default)
    {
        if (!scope.CanViewTenantAdministration(tenantId))
        {
            scope.LogRefusal("list users", tenantId);
            return [];
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking().Where(u => u.TenantId == tenantId);
        if (!scope.CanAdministerTenant(tenantId))
        {
            var mine = scope.Me.AdministeredDepartmentIds.ToList();
            users = users.Where(u => db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly).Any(m => m.UserId == u.Id && mine.Contains(m.DepartmentId)));
        }
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim().ToUpperInvariant();
            users = users.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term));
        }
        var rows = await users.OrderBy(u => u.DisplayName).Skip(Math.Max(0, page) * PageSize).Take(PageSize).ToListAsync(cancellationToken);
        var ids = rows.Select(u => u.Id).ToList();
        var memberships = await (from m in db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly)
                                 join d in db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly) on m.DepartmentId equals d.Id
                                 where ids.Contains(m.UserId) && m.TenantId == tenantId
                                 select new { m.UserId, d.Id, d.Name, m.IsDepartmentAdministrator }).ToListAsync(cancellationToken);
        return rows.Select(u => new UserSummary(u.Id, u.DisplayName, u.Email ?? "", u.IsActive, u.IsMinistryAdministrator, u.PasswordHash is not null,
            memberships.Where(m => m.UserId == u.Id).Select(m => new UserDepartment(m.Id, m.Name, m.IsDepartmentAdministrator)).ToList())).ToList();
    }

    /// <summary>Creates one user in a department and emails them an invitation to choose a password.</summary>
    public async Task<AdminResult<Guid>> InviteAsync(Guid tenantId, string? displayName, string? email, Guid? departmentId, string baseUrl, CancellationToken cancellationToken = default)
    {
        if (departmentId is not { } department || !scope.CanAdministerDepartment(tenantId, department))
        {
            if (departmentId is null && scope.CanAdministerTenant(tenantId))
                return new() { Result = AdminResult.Error("DepartmentId", "Error.DepartmentRequired") };
            scope.LogRefusal("invite user", tenantId);
            return new() { Result = AdminResult.Missing() };
        }
        displayName = Validation.Clean(displayName);
        email = Validation.Clean(email).ToLowerInvariant();
        var result = new AdminResult();
        if (displayName.Length is 0 or > 200) result.Add("DisplayName", "Error.NameRequired");
        if (!Validation.IsEmail(email)) result.Add("Email", "Error.EmailFormat");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (!await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AnyAsync(d => d.Id == department && d.TenantId == tenantId, cancellationToken))
            result.Add("DepartmentId", "Error.UnknownDepartment");
        if (result.Succeeded && await db.Users.AnyAsync(u => u.NormalizedEmail == normalizer.NormalizeEmail(email), cancellationToken))
            result.Add("Email", "Error.EmailTaken");
        if (!result.Succeeded)
            return new() { Result = result };

        var user = NewAccount(tenantId, displayName, email, department);
        db.Users.Add(user);
        db.Memberships.Add(new Membership { Id = Guid.NewGuid(), TenantId = tenantId, UserId = user.Id, DepartmentId = department });
        var link = invitations.Create(db, tenantId, user.Id, baseUrl, await invitations.ValidDaysAsync(tenantId, cancellationToken));
        audit.Record(db, "user.invited", $"user:{email}", tenantId, null, new { displayName, email, department });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return new() { Result = AdminResult.Error("Email", "Error.EmailTaken") };
        }
        await invitations.SendAsync(user, link, cancellationToken);
        return new() { Value = user.Id };
    }

    /// <summary>Adds many users at once (the CSV import). The caller validated the rows; each gets an invitation.</summary>
    internal async Task<int> CreateManyAsync(Guid tenantId, IReadOnlyList<NewUser> rows, string baseUrl, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var links = new List<(SuiteUser User, string Link)>();
        var validDays = await invitations.ValidDaysAsync(tenantId, cancellationToken);
        foreach (var row in rows)
        {
            var user = NewAccount(tenantId, row.DisplayName, row.Email, row.DepartmentId);
            db.Users.Add(user);
            db.Memberships.Add(new Membership { Id = Guid.NewGuid(), TenantId = tenantId, UserId = user.Id, DepartmentId = row.DepartmentId });
            links.Add((user, invitations.Create(db, tenantId, user.Id, baseUrl, validDays)));
        }
        audit.Record(db, "users.imported", $"ministry:{tenantId}", tenantId, null, new { count = rows.Count });
        await db.SaveChangesAsync(cancellationToken);
        foreach (var (user, link) in links)
            await invitations.SendAsync(user, link, cancellationToken);
        return rows.Count;
    }

    public async Task<AdminResult> SetMinistryAdministratorAsync(Guid tenantId, Guid userId, bool value, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("set ministry administrator", userId);
            return AdminResult.Missing();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId == tenantId, cancellationToken);
        if (user is null)
            return AdminResult.Missing();
        if (user.Id == scope.Me.UserId && !value)
            return AdminResult.Error("", "Error.CannotDemoteYourself");
        audit.Record(db, "user.ministry-administrator", $"user:{user.Email}", tenantId, new { user.IsMinistryAdministrator }, new { IsMinistryAdministrator = value });
        user.IsMinistryAdministrator = value;
        await db.SaveChangesAsync(cancellationToken);
        eviction.User(userId);
        return AdminResult.Ok();
    }

    public async Task<AdminResult> SetDepartmentAdministratorAsync(Guid tenantId, Guid userId, Guid departmentId, bool value, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("set department administrator", userId);
            return AdminResult.Missing();
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var membership = await db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly)
            .FirstOrDefaultAsync(m => m.UserId == userId && m.DepartmentId == departmentId && m.TenantId == tenantId, cancellationToken);
        if (membership is null)
            return AdminResult.Missing();
        audit.Record(db, "user.department-administrator", $"user:{userId}", tenantId, new { membership.IsDepartmentAdministrator, departmentId }, new { IsDepartmentAdministrator = value, departmentId });
        membership.IsDepartmentAdministrator = value;
        await db.SaveChangesAsync(cancellationToken);
        eviction.User(userId);
        return AdminResult.Ok();
    }

    public async Task<AdminResult> SetActiveAsync(Guid tenantId, Guid userId, bool active, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.TenantId == tenantId, cancellationToken);
        var departments = user is null ? [] : await db.Memberships.IgnoreQueryFilters(QueryFilterNames.TenantOnly)
            .Where(m => m.UserId == userId).Select(m => m.DepartmentId).ToListAsync(cancellationToken);
        if (user is null || !(scope.CanAdministerTenant(tenantId) || departments.Any(d => scope.CanAdministerDepartment(tenantId, d))))
        {
            scope.LogRefusal("activate/deactivate user", userId);
            return AdminResult.Missing();
        }
        if (user.Id == scope.Me.UserId)
            return AdminResult.Error("", "Error.CannotDeactivateYourself");
        audit.Record(db, active ? "user.activated" : "user.deactivated", $"user:{user.Email}", tenantId, new { user.IsActive }, new { IsActive = active });
        user.IsActive = active;
        user.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync(cancellationToken);
        eviction.User(userId);
        return AdminResult.Ok();
    }

    private SuiteUser NewAccount(Guid tenantId, string displayName, string email, Guid departmentId) => new()
    {
        Id = Guid.NewGuid(),
        DisplayName = displayName,
        Email = email,
        UserName = email,
        NormalizedEmail = normalizer.NormalizeEmail(email),
        NormalizedUserName = normalizer.NormalizeName(email),
        SecurityStamp = Guid.NewGuid().ToString("N"),
        ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        TenantId = tenantId,
        ActiveDepartmentId = departmentId,
        LockoutEnabled = true,
        CreatedAt = clock.GetUtcNow(),
    };
}
