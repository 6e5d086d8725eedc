using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Suite.Kernel.Data;
using Suite.Meetings.Contracts;

namespace Suite.Meetings.Data.Migrations;

/// <summary>Hand-written and provider-neutral (see docs/adr/0005); the drift test compares it with the model.</summary>
[DbContext(typeof(MeetingsDbContext))]
[Migration("0001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        var schema = ModuleDatabase.SchemaFor(m.ActiveProvider, MeetingsNames.ModuleId);
        if (schema is not null)
            m.EnsureSchema(schema);

        m.CreateTable("Rooms", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            DepartmentId = t.Column<Guid>(nullable: true),
            Code = t.Column<string>(maxLength: 12, nullable: false),
            Name = t.Column<string>(maxLength: 200, nullable: false),
            OwnerId = t.Column<Guid>(nullable: false),
            AccessLevel = t.Column<string>(maxLength: 20, nullable: false),
            IsInstant = t.Column<bool>(nullable: false),
            ParticipantsMayUnmute = t.Column<bool>(nullable: false),
            ParticipantsMayShareScreen = t.Column<bool>(nullable: false),
            ParticipantsMayChat = t.Column<bool>(nullable: false),
            CreatedAt = t.Column<DateTimeOffset>(nullable: false),
            LastActivityAt = t.Column<DateTimeOffset>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Rooms", x => x.Id));
        m.CreateIndex("IX_Rooms_Code", "Rooms", "Code", schema: schema, unique: true);
        m.CreateIndex("IX_Rooms_TenantId_OwnerId", "Rooms", ["TenantId", "OwnerId"], schema: schema);

        m.CreateTable("RoomMembers", schema: schema, columns: t => new
        {
            Id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            TenantId = t.Column<Guid>(nullable: false),
            RoomId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            Role = t.Column<string>(maxLength: 20, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_RoomMembers", x => x.Id));
        m.CreateIndex("IX_RoomMembers_RoomId_UserId", "RoomMembers", ["RoomId", "UserId"], schema: schema, unique: true);
        m.CreateIndex("IX_RoomMembers_UserId", "RoomMembers", "UserId", schema: schema);
    }
}
