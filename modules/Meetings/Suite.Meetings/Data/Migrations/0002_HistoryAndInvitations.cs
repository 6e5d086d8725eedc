using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Suite.Kernel.Data;
using Suite.Meetings.Contracts;

namespace Suite.Meetings.Data.Migrations;

/// <summary>Room switches under the names the in-call signalling reads, closed instant rooms, members' display names,
/// meeting history, email invitations and the room's own audit trail (see docs/adr/0009).</summary>
[DbContext(typeof(MeetingsDbContext))]
[Migration("0002_HistoryAndInvitations")]
internal sealed class HistoryAndInvitations : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        var schema = ModuleDatabase.SchemaFor(m.ActiveProvider, MeetingsNames.ModuleId);

        m.RenameColumn("ParticipantsMayUnmute", "Rooms", "AllowSelfUnmute", schema: schema);
        m.RenameColumn("ParticipantsMayShareScreen", "Rooms", "AllowScreenShare", schema: schema);
        m.RenameColumn("ParticipantsMayChat", "Rooms", "AllowChat", schema: schema);
        m.AddColumn<DateTimeOffset>("ClosedAt", "Rooms", schema: schema, nullable: true);
        m.AddColumn<string>("DisplayName", "RoomMembers", schema: schema, maxLength: 200, nullable: false, defaultValue: "");

        m.CreateTable("MeetingSessions", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            RoomId = t.Column<Guid>(nullable: false),
            StartedAt = t.Column<DateTimeOffset>(nullable: false),
            EndedAt = t.Column<DateTimeOffset>(nullable: true),
            EndReason = t.Column<string>(maxLength: 20, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MeetingSessions", x => x.Id));
        m.CreateIndex("IX_MeetingSessions_RoomId_StartedAt", "MeetingSessions", ["RoomId", "StartedAt"], schema: schema);

        m.CreateTable("MeetingAttendances", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            RoomId = t.Column<Guid>(nullable: false),
            SessionId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: true),
            DisplayName = t.Column<string>(maxLength: 200, nullable: false),
            JoinedAt = t.Column<DateTimeOffset>(nullable: false),
            LeftAt = t.Column<DateTimeOffset>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_MeetingAttendances", x => x.Id));
        m.CreateIndex("IX_MeetingAttendances_SessionId", "MeetingAttendances", "SessionId", schema: schema);
        m.CreateIndex("IX_MeetingAttendances_RoomId_LeftAt", "MeetingAttendances", ["RoomId", "LeftAt"], schema: schema);

        m.CreateTable("RoomInvitations", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            RoomId = t.Column<Guid>(nullable: false),
            Email = t.Column<string>(maxLength: 256, nullable: false),
            InvitedById = t.Column<Guid>(nullable: false),
            InvitedAt = t.Column<DateTimeOffset>(nullable: false),
            StartsAt = t.Column<DateTimeOffset>(nullable: true),
            AcceptedAt = t.Column<DateTimeOffset>(nullable: true),
            AcceptedById = t.Column<Guid>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_RoomInvitations", x => x.Id));
        m.CreateIndex("IX_RoomInvitations_RoomId_Email", "RoomInvitations", ["RoomId", "Email"], schema: schema);

        m.CreateTable("RoomEvents", schema: schema, columns: t => new
        {
            Id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            TenantId = t.Column<Guid>(nullable: false),
            RoomId = t.Column<Guid>(nullable: false),
            At = t.Column<DateTimeOffset>(nullable: false),
            ActorId = t.Column<Guid>(nullable: true),
            ActorName = t.Column<string>(maxLength: 200, nullable: false),
            Action = t.Column<string>(maxLength: 50, nullable: false),
            Before = t.Column<string>(maxLength: 1000, nullable: true),
            After = t.Column<string>(maxLength: 1000, nullable: true),
        }, constraints: t => t.PrimaryKey("PK_RoomEvents", x => x.Id));
        m.CreateIndex("IX_RoomEvents_RoomId_At", "RoomEvents", ["RoomId", "At"], schema: schema);
    }
}
