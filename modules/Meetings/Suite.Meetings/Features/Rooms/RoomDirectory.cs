using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;

namespace Suite.Meetings.Features.Rooms;

internal sealed record RoomSummary(string Code, string Name, string AccessLevel, bool IsInstant, DateTimeOffset CreatedAt, string Role);

/// <summary>What a visitor's page needs to know of a room, whichever ministry the visitor is from.</summary>
internal sealed record RoomCard(Guid Id, Guid TenantId, string Code, string Name, string AccessLevel, Guid OwnerId);

internal sealed record CreateRoomResult(string? Code, IReadOnlyDictionary<string, string> Errors);

/// <summary>Rooms of the current user's ministry: create, list one's own, find by code, change the access level.</summary>
internal sealed class RoomDirectory(IDbContextFactory<MeetingsDbContext> contexts, ITenantContext me, ISettingProvider settings, TimeProvider clock)
{
    public const int NameMaxLength = 200;

    public async Task<CreateRoomResult> CreateAsync(string? name, string? accessLevel, bool instant, CancellationToken cancellationToken = default)
    {
        if (me.UserId is not { } userId || me.TenantId is null)
            return new CreateRoomResult(null, new Dictionary<string, string> { [""] = "Rooms.Error.NotInMinistry" });
        var errors = new Dictionary<string, string>();
        name = name?.Trim();
        if (!instant && string.IsNullOrEmpty(name))
            errors["Name"] = "Rooms.Error.NameRequired";
        else if (name is { Length: > NameMaxLength })
            errors["Name"] = "Rooms.Error.NameTooLong";
        accessLevel = string.IsNullOrEmpty(accessLevel) ? await settings.GetAsync(MeetingsNames.Settings.DefaultAccessLevel, cancellationToken) : accessLevel;
        if (!RoomAccessLevels.All.Contains(accessLevel))
            errors["AccessLevel"] = "Rooms.Error.AccessLevel";
        if (errors.Count > 0)
            return new CreateRoomResult(null, errors);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var code = RoomCode.New();
        while (await db.Rooms.IgnoreQueryFilters().AnyAsync(r => r.Code == code, cancellationToken))
            code = RoomCode.New();
        var room = new Room
        {
            Id = Guid.NewGuid(),
            DepartmentId = me.ActiveDepartmentId,
            Code = code,
            Name = string.IsNullOrEmpty(name) ? "" : name,
            OwnerId = userId,
            AccessLevel = accessLevel,
            IsInstant = instant,
            CreatedAt = now,
            LastActivityAt = now,
        };
        db.Rooms.Add(room);
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = userId, Role = RoomRoles.Owner });
        await db.SaveChangesAsync(cancellationToken);
        return new CreateRoomResult(code, new Dictionary<string, string>());
    }

    /// <summary>The rooms the user owns, administers or is invited to — never the ministry's whole list.</summary>
    public async Task<IReadOnlyList<RoomSummary>> ListMineAsync(CancellationToken cancellationToken = default)
    {
        if (me.UserId is not { } userId)
            return [];
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await (from member in db.RoomMembers
                          join room in db.Rooms on member.RoomId equals room.Id
                          where member.UserId == userId
                          select new { room.Code, room.Name, room.AccessLevel, room.IsInstant, room.CreatedAt, member.Role, room.Id })
            .AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderByDescending(r => r.CreatedAt).Select(r => new RoomSummary(r.Code, r.Name, r.AccessLevel, r.IsInstant, r.CreatedAt, r.Role))];
    }

    /// <summary>Finds a room by its code across ministries — the one deliberate crossing: a link is shared outside the
    /// ministry, and its visitors must reach the lobby. Only the card (no members, no other rooms) leaves this method.</summary>
    public async Task<RoomCard?> FindAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (RoomCode.Normalize(code) is not { } normalized)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department]).AsNoTracking()
            .Where(r => r.Code == normalized)
            .Select(r => new RoomCard(r.Id, r.TenantId, r.Code, r.Name, r.AccessLevel, r.OwnerId))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>The current user's role in a room, if any (their invitation may come from another ministry's room).</summary>
    public async Task<string?> RoleInAsync(RoomCard room, CancellationToken cancellationToken = default)
    {
        if (me.UserId is not { } userId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.RoomMembers.IgnoreQueryFilters([QueryFilterNames.Tenant]).AsNoTracking()
            .Where(m => m.RoomId == room.Id && m.UserId == userId && m.TenantId == room.TenantId)
            .Select(m => m.Role).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Owners and administrators change who may enter; the change applies to the next person who arrives.</summary>
    public async Task<bool> ChangeAccessLevelAsync(RoomCard room, string accessLevel, CancellationToken cancellationToken = default)
    {
        if (!RoomAccessLevels.All.Contains(accessLevel) || !RoomAccess.CanModerate(await RoleInAsync(room, cancellationToken)) || me.TenantId != room.TenantId)
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.Where(r => r.Id == room.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.AccessLevel, accessLevel).SetProperty(r => r.LastActivityAt, clock.GetUtcNow()), cancellationToken) == 1;
    }
}
