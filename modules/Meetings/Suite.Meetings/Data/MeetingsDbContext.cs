using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;
using Suite.Meetings.Contracts;

namespace Suite.Meetings.Data;

internal sealed class MeetingsDbContext(DbContextOptions<MeetingsDbContext> options, ITenantContext tenant) : ModuleDbContext(options, tenant)
{
    protected override string Schema => MeetingsNames.ModuleId;

    public DbSet<Room> Rooms => Set<Room>();
    public DbSet<RoomMember> RoomMembers => Set<RoomMember>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Room>(room =>
        {
            room.ToTable("Rooms");
            room.Property(r => r.Code).HasMaxLength(12);
            room.Property(r => r.Name).HasMaxLength(200);
            room.Property(r => r.AccessLevel).HasMaxLength(20);
            room.HasIndex(r => r.Code).IsUnique();
            room.HasIndex(r => new { r.TenantId, r.OwnerId });
        });
        modelBuilder.Entity<RoomMember>(member =>
        {
            member.ToTable("RoomMembers");
            member.Property(m => m.Role).HasMaxLength(20);
            member.HasIndex(m => new { m.RoomId, m.UserId }).IsUnique();
            member.HasIndex(m => m.UserId);
        });
    }
}
