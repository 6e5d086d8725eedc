using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Suite.Kernel.Data;

namespace Suite.Platform.Data.Migrations;

[DbContext(typeof(PlatformDbContext))]
[Migration("0002_Notifications")]
internal sealed class Notifications : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        var schema = ModuleDatabase.SchemaFor(m.ActiveProvider, PlatformDbContext.Schema);
        m.CreateTable("Notifications", schema: schema, columns: t => new
        {
            Id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            TenantId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            ModuleId = t.Column<string>(maxLength: 50, nullable: false),
            Title = t.Column<string>(maxLength: 200, nullable: false),
            Body = t.Column<string>(maxLength: 1000, nullable: true),
            Link = t.Column<string>(maxLength: 500, nullable: true),
            CreatedAt = t.Column<DateTimeOffset>(nullable: false),
            ReadAt = t.Column<DateTimeOffset>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Notifications", x => x.Id));
        m.CreateIndex("IX_Notifications_UserId_CreatedAt", "Notifications", ["UserId", "CreatedAt"], schema: schema);
    }
}
