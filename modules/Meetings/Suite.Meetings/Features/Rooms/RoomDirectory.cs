using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;
using Suite.Meetings.Data;

namespace Suite.Meetings.Features.Rooms;

internal sealed record RoomSummary(string Code, string Name, string AccessLevel, bool IsInstant, DateTimeOffset CreatedAt, string Role, bool IsClosed = false);

/// <summary>What a visitor's page needs to know of a room, whichever ministry the visitor is from.</summary>
internal sealed record RoomCard(Guid Id, Guid TenantId, string Code, string Name, string AccessLevel, Guid OwnerId);

internal sealed record CreateRoomResult(string? Code, IReadOnlyDictionary<string, string> Errors);

/// <summary>A room's own settings: what the settings page edits and the in-call signalling enforces.</summary>
internal sealed record RoomOptions(string Name, string AccessLevel, bool IsInstant, bool AllowSelfUnmute, bool AllowScreenShare, bool AllowChat);

/// <summary>Public only because a component shows it.</summary>
public sealed record RoomMemberRow(Guid UserId, string DisplayName, string Role);

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
        db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = userId, Role = RoomRoles.Owner, DisplayName = me.DisplayName ?? "" });
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
                          select new { room.Code, room.Name, room.AccessLevel, room.IsInstant, room.CreatedAt, member.Role, room.Id, room.ClosedAt })
            .AsNoTracking().ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.ClosedAt is not null).ThenByDescending(r => r.CreatedAt)
            .Select(r => new RoomSummary(r.Code, r.Name, r.AccessLevel, r.IsInstant, r.CreatedAt, r.Role, r.ClosedAt is not null))];
    }

    /// <summary>Finds an open room by its code across ministries — the one deliberate crossing: a link is shared outside the
    /// ministry, and its visitors must reach the lobby. Only the card (no members, no other rooms) leaves this method.
    /// A closed instant room is not found: its link no longer opens a meeting.</summary>
    public Task<RoomCard?> FindAsync(string? code, CancellationToken cancellationToken = default) => FindAsync(code, includeClosed: false, cancellationToken);

    /// <summary>Also finds closed rooms: for their history, and to tell a visitor that the meeting has ended.</summary>
    public async Task<RoomCard?> FindAsync(string? code, bool includeClosed, CancellationToken cancellationToken = default)
    {
        if (RoomCode.Normalize(code) is not { } normalized)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department]).AsNoTracking()
            .Where(r => r.Code == normalized && (includeClosed || r.ClosedAt == null))
            .Select(r => new RoomCard(r.Id, r.TenantId, r.Code, r.Name, r.AccessLevel, r.OwnerId))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Whether an instant room with this code existed and was closed.</summary>
    public async Task<bool> IsClosedAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (RoomCode.Normalize(code) is not { } normalized)
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department])
            .AnyAsync(r => r.Code == normalized && r.ClosedAt != null, cancellationToken);
    }

    /// <summary>Whether the current user may change this room: an owner or administrator of the room's own ministry
    /// (a person of another ministry never changes a room, whatever their role in it).</summary>
    public async Task<bool> CanManageAsync(RoomCard room, CancellationToken cancellationToken = default) =>
        me.TenantId == room.TenantId && RoomAccess.CanModerate(await RoleInAsync(room, cancellationToken));

    /// <summary>The room's settings. Anyone who found the card may read them (the call applies them to everyone).</summary>
    public async Task<RoomOptions?> OptionsAsync(RoomCard room, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Tenant, QueryFilterNames.Department]).AsNoTracking()
            .Where(r => r.Id == room.Id && r.TenantId == room.TenantId)
            .Select(r => new RoomOptions(r.Name, r.AccessLevel, r.IsInstant, r.AllowSelfUnmute, r.AllowScreenShare, r.AllowChat))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Owners and administrators rename the room, keep it (a named room the idle job never closes) or let it be
    /// instant, and set what participants may do. Returns the errors (by field), empty when saved.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ChangeOptionsAsync(RoomCard room, RoomOptions wanted, CancellationToken cancellationToken = default)
    {
        if (!await CanManageAsync(room, cancellationToken))
            return new Dictionary<string, string> { [""] = "Room.Error.NotAllowed" };
        var errors = new Dictionary<string, string>();
        var name = wanted.Name.Trim();
        if (!wanted.IsInstant && name.Length == 0)
            errors["Name"] = "Rooms.Error.NameRequired";
        else if (name.Length > NameMaxLength)
            errors["Name"] = "Rooms.Error.NameTooLong";
        if (!RoomAccessLevels.All.Contains(wanted.AccessLevel))
            errors["AccessLevel"] = "Rooms.Error.AccessLevel";
        if (errors.Count > 0)
            return errors;

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Department]).SingleOrDefaultAsync(r => r.Id == room.Id && r.ClosedAt == null, cancellationToken);
        if (row is null)
            return new Dictionary<string, string> { [""] = "Room.Error.NotAllowed" };
        var before = Describe(row);
        row.Name = name;
        row.AccessLevel = wanted.AccessLevel;
        row.IsInstant = wanted.IsInstant;
        row.AllowSelfUnmute = wanted.AllowSelfUnmute;
        row.AllowScreenShare = wanted.AllowScreenShare;
        row.AllowChat = wanted.AllowChat;
        row.LastActivityAt = clock.GetUtcNow();
        var after = Describe(row);
        if (before != after)
            RoomAudit.Record(db, room.Id, me, row.LastActivityAt, "room.settings", before, after);
        await db.SaveChangesAsync(cancellationToken);
        return new Dictionary<string, string>();
    }

    /// <summary>The room's members and their roles, for its owner and administrators (null for anyone else).</summary>
    public async Task<IReadOnlyList<RoomMemberRow>?> MembersAsync(RoomCard room, CancellationToken cancellationToken = default)
    {
        if (!await CanManageAsync(room, cancellationToken))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.RoomMembers.AsNoTracking().Where(m => m.RoomId == room.Id)
            .Select(m => new RoomMemberRow(m.UserId, m.DisplayName, m.Role)).ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => RoleRank(r.Role)).ThenBy(r => r.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
    }

    /// <summary>Promotes a member to administrator or demotes an administrator to member. Only owners and administrators
    /// of the room's ministry may; nobody changes the owner's role, nobody changes their own.</summary>
    public async Task<bool> ChangeRoleAsync(RoomCard room, Guid userId, string role, CancellationToken cancellationToken = default) =>
        await ChangeRoleAsync(room, userId, role, newMemberName: null, cancellationToken);

    /// <summary>Changes a member's role, audited. With <paramref name="newMemberName"/> (a host's promotion during a call),
    /// someone promoted who was not yet a member of the room (a colleague who entered a trusted room, a person let in
    /// from the lobby) becomes one.</summary>
    public async Task<bool> ChangeRoleAsync(RoomCard room, Guid userId, string role, string? newMemberName, CancellationToken cancellationToken = default)
    {
        if (role is not (RoomRoles.Administrator or RoomRoles.Member) || userId == me.UserId || !await CanManageAsync(room, cancellationToken))
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var member = await db.RoomMembers.SingleOrDefaultAsync(m => m.RoomId == room.Id && m.UserId == userId, cancellationToken);
        if (member is null)
        {
            if (newMemberName is null || role != RoomRoles.Administrator)
                return false;
            var name = RoomAudit.Truncate(newMemberName, 200);
            db.RoomMembers.Add(new RoomMember { RoomId = room.Id, UserId = userId, Role = role, DisplayName = name });
            RoomAudit.Record(db, room.Id, me, clock.GetUtcNow(), "room.role", null, $"{name}: {role}");
        }
        else
        {
            if (member.Role == RoomRoles.Owner || member.Role == role)
                return false;
            RoomAudit.Record(db, room.Id, me, clock.GetUtcNow(), "room.role", $"{member.DisplayName}: {member.Role}", $"{member.DisplayName}: {role}");
            member.Role = role;
        }
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    private static int RoleRank(string role) => role switch { RoomRoles.Owner => 0, RoomRoles.Administrator => 1, _ => 2 };

    private static string Describe(Room room) =>
        $"name={room.Name}; access={room.AccessLevel}; instant={room.IsInstant}; unmute={room.AllowSelfUnmute}; screen={room.AllowScreenShare}; chat={room.AllowChat}";

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
        if (!RoomAccessLevels.All.Contains(accessLevel) || !await CanManageAsync(room, cancellationToken))
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Rooms.IgnoreQueryFilters([QueryFilterNames.Department]).SingleOrDefaultAsync(r => r.Id == room.Id && r.ClosedAt == null, cancellationToken);
        if (row is null)
            return false;
        if (row.AccessLevel != accessLevel)
            RoomAudit.Record(db, room.Id, me, clock.GetUtcNow(), "room.access", row.AccessLevel, accessLevel);
        row.AccessLevel = accessLevel;
        row.LastActivityAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
