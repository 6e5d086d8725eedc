using Microsoft.EntityFrameworkCore;
using Suite.Kernel.People;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;

namespace Suite.Platform.Features.Users;

/// <summary>Searches the users of the caller's ministry. Users are not tenant-filtered (sign-in finds them before the
/// ministry is known), so the ministry is required explicitly here.</summary>
internal sealed class PeopleDirectory(IDbContextFactory<PlatformDbContext> contexts, ITenantContext me) : IPeopleDirectory
{
    public const int MaxResults = 20;

    public async Task<IReadOnlyList<Person>> SearchAsync(string text, int max, CancellationToken cancellationToken = default)
    {
        var wanted = (text ?? "").Trim().ToLowerInvariant();
        if (me.TenantId is not { } tenantId || wanted.Length < 2)
            return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.TenantId == tenantId && u.IsActive && u.Email != null
                && (u.DisplayName.ToLower().Contains(wanted) || u.Email.ToLower().Contains(wanted)))
            .OrderBy(u => u.DisplayName)
            .Take(Math.Clamp(max, 1, MaxResults))
            .Select(u => new Person(u.Id, u.DisplayName, u.Email!))
            .ToListAsync(cancellationToken);
    }

    public async Task<Person?> FindAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        if (me.TenantId is not { } tenantId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && u.TenantId == tenantId && u.IsActive && u.Email != null)
            .Select(u => new Person(u.Id, u.DisplayName, u.Email!))
            .SingleOrDefaultAsync(cancellationToken);
    }
}
