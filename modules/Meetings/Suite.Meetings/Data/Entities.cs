using Suite.Kernel.Tenancy;

namespace Suite.Meetings.Data;

internal sealed class Room : ITenantScoped, IDepartmentScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid? DepartmentId { get; set; }
    /// <summary>The short shareable code: "abc-defg-hij".</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public Guid OwnerId { get; set; }
    public required string AccessLevel { get; set; }
    public bool IsInstant { get; set; }
    public bool ParticipantsMayUnmute { get; set; } = true;
    public bool ParticipantsMayShareScreen { get; set; } = true;
    public bool ParticipantsMayChat { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
}

internal static class RoomRoles
{
    public const string Owner = "owner";
    public const string Administrator = "administrator";
    /// <summary>Invited: enters a restricted room without asking.</summary>
    public const string Member = "member";
}

internal sealed class RoomMember : ITenantScoped
{
    public long Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid RoomId { get; set; }
    public Guid UserId { get; set; }
    public required string Role { get; set; }
}
