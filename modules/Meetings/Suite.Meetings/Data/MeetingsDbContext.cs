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
    public DbSet<MeetingSession> MeetingSessions => Set<MeetingSession>();
    public DbSet<MeetingAttendance> MeetingAttendances => Set<MeetingAttendance>();
    public DbSet<RoomInvitation> RoomInvitations => Set<RoomInvitation>();
    public DbSet<RoomEvent> RoomEvents => Set<RoomEvent>();

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
            member.Property(m => m.DisplayName).HasMaxLength(200);
            member.HasIndex(m => new { m.RoomId, m.UserId }).IsUnique();
            member.HasIndex(m => m.UserId);
        });
        modelBuilder.Entity<MeetingSession>(session =>
        {
            session.ToTable("MeetingSessions");
            session.Property(s => s.EndReason).HasMaxLength(20);
            session.HasIndex(s => new { s.RoomId, s.StartedAt });
        });
        modelBuilder.Entity<MeetingAttendance>(attendance =>
        {
            attendance.ToTable("MeetingAttendances");
            attendance.Property(a => a.DisplayName).HasMaxLength(200);
            attendance.HasIndex(a => a.SessionId);
            attendance.HasIndex(a => new { a.RoomId, a.LeftAt });
        });
        modelBuilder.Entity<RoomInvitation>(invitation =>
        {
            invitation.ToTable("RoomInvitations");
            invitation.Property(i => i.Email).HasMaxLength(256);
            invitation.HasIndex(i => new { i.RoomId, i.Email });
        });
        modelBuilder.Entity<RoomEvent>(entry =>
        {
            entry.ToTable("RoomEvents");
            entry.Property(e => e.ActorName).HasMaxLength(200);
            entry.Property(e => e.Action).HasMaxLength(50);
            entry.Property(e => e.Before).HasMaxLength(1000);
            entry.Property(e => e.After).HasMaxLength(1000);
            entry.HasIndex(e => new { e.RoomId, e.At });
        });
    }
}
