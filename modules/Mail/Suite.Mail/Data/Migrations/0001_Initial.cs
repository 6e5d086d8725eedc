using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Suite.Kernel.Data;
using Suite.Mail.Contracts;

namespace Suite.Mail.Data.Migrations;

/// <summary>Hand-written and provider-neutral (see docs/adr/0005); the drift test compares it with the model.</summary>
[DbContext(typeof(MailDbContext))]
[Migration("0001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        var schema = ModuleDatabase.SchemaFor(m.ActiveProvider, MailNames.ModuleId);
        if (schema is not null)
            m.EnsureSchema(schema);

        m.CreateTable("Accounts", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            Login = t.Column<string>(maxLength: MailDbContext.LoginMaxLength, nullable: false),
            ProtectedPassword = t.Column<string>(maxLength: MailDbContext.ProtectedPasswordMaxLength, nullable: false),
            UpdatedAt = t.Column<DateTimeOffset>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Accounts", x => x.Id));
        m.CreateIndex("IX_Accounts_TenantId_UserId", "Accounts", ["TenantId", "UserId"], schema: schema, unique: true);
    }
}
