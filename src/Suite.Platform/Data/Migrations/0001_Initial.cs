using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Suite.Kernel.Data;

namespace Suite.Platform.Data.Migrations;

/// <summary>Hand-written (no EF design tools here). Column types come from the provider's mapping of each CLR
/// type, so one migration serves SQLite and PostgreSQL; the drift test compares the result with the model.</summary>
[DbContext(typeof(PlatformDbContext))]
[Migration("0001_Initial")]
internal sealed class Initial : Migration
{
    protected override void Up(MigrationBuilder m)
    {
        var schema = ModuleDatabase.SchemaFor(m.ActiveProvider, PlatformDbContext.Schema);
        if (schema is not null)
            m.EnsureSchema(schema);

        m.CreateTable("AspNetUsers", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            DisplayName = t.Column<string>(maxLength: 200, nullable: false),
            TenantId = t.Column<Guid>(nullable: true),
            ActiveDepartmentId = t.Column<Guid>(nullable: true),
            IsPlatformAdministrator = t.Column<bool>(nullable: false),
            IsMinistryAdministrator = t.Column<bool>(nullable: false),
            IsActive = t.Column<bool>(nullable: false),
            PreferredLanguage = t.Column<string>(maxLength: 8, nullable: false),
            CreatedAt = t.Column<DateTimeOffset>(nullable: false),
            UserName = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedUserName = t.Column<string>(maxLength: 256, nullable: true),
            Email = t.Column<string>(maxLength: 256, nullable: true),
            NormalizedEmail = t.Column<string>(maxLength: 256, nullable: true),
            EmailConfirmed = t.Column<bool>(nullable: false),
            PasswordHash = t.Column<string>(nullable: true),
            SecurityStamp = t.Column<string>(nullable: true),
            ConcurrencyStamp = t.Column<string>(nullable: true),
            PhoneNumber = t.Column<string>(nullable: true),
            PhoneNumberConfirmed = t.Column<bool>(nullable: false),
            TwoFactorEnabled = t.Column<bool>(nullable: false),
            LockoutEnd = t.Column<DateTimeOffset>(nullable: true),
            LockoutEnabled = t.Column<bool>(nullable: false),
            AccessFailedCount = t.Column<int>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_AspNetUsers", x => x.Id));
        m.CreateIndex("EmailIndex", "AspNetUsers", "NormalizedEmail", schema: schema);
        m.CreateIndex("UserNameIndex", "AspNetUsers", "NormalizedUserName", schema: schema, unique: true);
        m.CreateIndex("IX_AspNetUsers_TenantId", "AspNetUsers", "TenantId", schema: schema);

        m.CreateTable("AspNetUserClaims", schema: schema, columns: t => new
        {
            Id = t.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            UserId = t.Column<Guid>(nullable: false),
            ClaimType = t.Column<string>(nullable: true),
            ClaimValue = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserClaims", x => x.Id);
            t.ForeignKey("FK_AspNetUserClaims_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", principalSchema: schema, onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_AspNetUserClaims_UserId", "AspNetUserClaims", "UserId", schema: schema);

        m.CreateTable("AspNetUserLogins", schema: schema, columns: t => new
        {
            LoginProvider = t.Column<string>(nullable: false),
            ProviderKey = t.Column<string>(nullable: false),
            ProviderDisplayName = t.Column<string>(nullable: true),
            UserId = t.Column<Guid>(nullable: false),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserLogins", x => new { x.LoginProvider, x.ProviderKey });
            t.ForeignKey("FK_AspNetUserLogins_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", principalSchema: schema, onDelete: ReferentialAction.Cascade);
        });
        m.CreateIndex("IX_AspNetUserLogins_UserId", "AspNetUserLogins", "UserId", schema: schema);

        m.CreateTable("AspNetUserTokens", schema: schema, columns: t => new
        {
            UserId = t.Column<Guid>(nullable: false),
            LoginProvider = t.Column<string>(nullable: false),
            Name = t.Column<string>(nullable: false),
            Value = t.Column<string>(nullable: true),
        }, constraints: t =>
        {
            t.PrimaryKey("PK_AspNetUserTokens", x => new { x.UserId, x.LoginProvider, x.Name });
            t.ForeignKey("FK_AspNetUserTokens_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", principalSchema: schema, onDelete: ReferentialAction.Cascade);
        });

        m.CreateTable("Tenants", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 200, nullable: false),
            ShortName = t.Column<string>(maxLength: 40, nullable: false),
            Slug = t.Column<string>(maxLength: 63, nullable: false),
            CreatedAt = t.Column<DateTimeOffset>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Tenants", x => x.Id));
        m.CreateIndex("IX_Tenants_Slug", "Tenants", "Slug", schema: schema, unique: true);

        m.CreateTable("Departments", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            ParentId = t.Column<Guid>(nullable: true),
            Name = t.Column<string>(maxLength: 200, nullable: false),
            Slug = t.Column<string>(maxLength: 63, nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Departments", x => x.Id));
        m.CreateIndex("IX_Departments_TenantId_Slug", "Departments", ["TenantId", "Slug"], schema: schema, unique: true);

        m.CreateTable("Memberships", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            DepartmentId = t.Column<Guid>(nullable: false),
            IsDepartmentAdministrator = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_Memberships", x => x.Id));
        m.CreateIndex("IX_Memberships_UserId_DepartmentId", "Memberships", ["UserId", "DepartmentId"], schema: schema, unique: true);
        m.CreateIndex("IX_Memberships_TenantId_DepartmentId", "Memberships", ["TenantId", "DepartmentId"], schema: schema);

        m.CreateTable("ModuleSwitches", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            DepartmentId = t.Column<Guid>(nullable: true),
            ModuleId = t.Column<string>(maxLength: 63, nullable: false),
            Enabled = t.Column<bool>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_ModuleSwitches", x => x.Id));
        m.CreateIndex("IX_ModuleSwitches_TenantId_DepartmentId_ModuleId", "ModuleSwitches", ["TenantId", "DepartmentId", "ModuleId"], schema: schema, unique: true);

        m.CreateTable("SettingValues", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            Name = t.Column<string>(maxLength: 200, nullable: false),
            Scope = t.Column<int>(nullable: false),
            ScopeId = t.Column<Guid>(nullable: true),
            TenantId = t.Column<Guid>(nullable: true),
            Value = t.Column<string>(nullable: true),
            UpdatedAt = t.Column<DateTimeOffset>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_SettingValues", x => x.Id));
        m.CreateIndex("IX_SettingValues_Name_Scope_ScopeId", "SettingValues", ["Name", "Scope", "ScopeId"], schema: schema, unique: true);
        m.CreateIndex("IX_SettingValues_TenantId", "SettingValues", "TenantId", schema: schema);

        m.CreateTable("AuditEntries", schema: schema, columns: t => new
        {
            Id = t.Column<long>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            At = t.Column<DateTimeOffset>(nullable: false),
            ActorId = t.Column<Guid>(nullable: true),
            ActorName = t.Column<string>(maxLength: 200, nullable: false),
            TenantId = t.Column<Guid>(nullable: true),
            Action = t.Column<string>(maxLength: 100, nullable: false),
            Target = t.Column<string>(maxLength: 400, nullable: false),
            Before = t.Column<string>(nullable: true),
            After = t.Column<string>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_AuditEntries", x => x.Id));
        m.CreateIndex("IX_AuditEntries_TenantId_At", "AuditEntries", ["TenantId", "At"], schema: schema);

        m.CreateTable("Invitations", schema: schema, columns: t => new
        {
            Id = t.Column<Guid>(nullable: false),
            TenantId = t.Column<Guid>(nullable: false),
            UserId = t.Column<Guid>(nullable: false),
            TokenHash = t.Column<string>(maxLength: 100, nullable: false),
            ExpiresAt = t.Column<DateTimeOffset>(nullable: false),
            AcceptedAt = t.Column<DateTimeOffset>(nullable: true),
        }, constraints: t => t.PrimaryKey("PK_Invitations", x => x.Id));
        m.CreateIndex("IX_Invitations_TokenHash", "Invitations", "TokenHash", schema: schema, unique: true);

        m.CreateTable("DataProtectionKeys", schema: schema, columns: t => new
        {
            Id = t.Column<int>(nullable: false)
                .Annotation("Sqlite:Autoincrement", true)
                .Annotation("Npgsql:ValueGenerationStrategy", Npgsql.EntityFrameworkCore.PostgreSQL.Metadata.NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
            FriendlyName = t.Column<string>(nullable: true),
            Xml = t.Column<string>(nullable: false),
        }, constraints: t => t.PrimaryKey("PK_DataProtectionKeys", x => x.Id));
    }
}
