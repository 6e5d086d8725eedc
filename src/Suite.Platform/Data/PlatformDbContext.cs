using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;
using Suite.Platform.Identity;

namespace Suite.Platform.Data;

/// <summary>The platform's one context: Identity's user tables plus ministries, departments, memberships, module
/// switches, settings, audit and the Data Protection key ring. It derives from Identity's context, so it applies
/// the kernel's tenant filters itself instead of deriving from ModuleDbContext.</summary>
internal sealed class PlatformDbContext(DbContextOptions<PlatformDbContext> options, ITenantContext tenant)
    : IdentityUserContext<SuiteUser, Guid>(options), ITenantFilterSource
{
    public const string Schema = "platform";

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<Department> Departments => Set<Department>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<ModuleSwitch> ModuleSwitches => Set<ModuleSwitch>();
    public DbSet<SettingValue> SettingValues => Set<SettingValue>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Notification> Notifications => Set<Notification>();

    Guid ITenantFilterSource.CurrentTenantFilter => tenant.TenantId ?? Guid.Empty;

    List<Guid> ITenantFilterSource.CurrentDepartmentFilter => [.. tenant.DepartmentIds];

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(ModuleDatabase.SchemaFor(Database.ProviderName, Schema));

        builder.Entity<SuiteUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.Property(u => u.PreferredLanguage).HasMaxLength(8);
            user.HasIndex(u => u.TenantId);
        });
        builder.Entity<Tenant>(tenant =>
        {
            tenant.ToTable("Tenants");
            tenant.Property(t => t.Name).HasMaxLength(200);
            tenant.Property(t => t.ShortName).HasMaxLength(40);
            tenant.Property(t => t.Slug).HasMaxLength(63);
            tenant.HasIndex(t => t.Slug).IsUnique();
        });
        builder.Entity<Department>(department =>
        {
            department.ToTable("Departments");
            department.Property(d => d.Name).HasMaxLength(200);
            department.Property(d => d.Slug).HasMaxLength(63);
            department.HasIndex(d => new { d.TenantId, d.Slug }).IsUnique();
        });
        builder.Entity<Membership>(membership =>
        {
            membership.ToTable("Memberships");
            membership.HasIndex(m => new { m.UserId, m.DepartmentId }).IsUnique();
            membership.HasIndex(m => new { m.TenantId, m.DepartmentId });
        });
        builder.Entity<ModuleSwitch>(moduleSwitch =>
        {
            moduleSwitch.ToTable("ModuleSwitches");
            moduleSwitch.Property(s => s.ModuleId).HasMaxLength(63);
            moduleSwitch.HasIndex(s => new { s.TenantId, s.DepartmentId, s.ModuleId }).IsUnique();
        });
        builder.Entity<SettingValue>(setting =>
        {
            setting.ToTable("SettingValues");
            setting.Property(s => s.Name).HasMaxLength(200);
            setting.HasIndex(s => new { s.Name, s.Scope, s.ScopeId }).IsUnique();
            setting.HasIndex(s => s.TenantId);
        });
        builder.Entity<AuditEntry>(audit =>
        {
            audit.ToTable("AuditEntries");
            audit.Property(a => a.ActorName).HasMaxLength(200);
            audit.Property(a => a.Action).HasMaxLength(100);
            audit.Property(a => a.Target).HasMaxLength(400);
            audit.HasIndex(a => new { a.TenantId, a.At });
        });
        builder.Entity<Invitation>(invitation =>
        {
            invitation.ToTable("Invitations");
            invitation.Property(i => i.TokenHash).HasMaxLength(100);
            invitation.HasIndex(i => i.TokenHash).IsUnique();
        });
        builder.Entity<DataProtectionKey>(key => key.ToTable("DataProtectionKeys"));
        builder.Entity<Notification>(notification =>
        {
            notification.ToTable("Notifications");
            notification.Property(n => n.ModuleId).HasMaxLength(50);
            notification.Property(n => n.Title).HasMaxLength(200);
            notification.Property(n => n.Body).HasMaxLength(1000);
            notification.Property(n => n.Link).HasMaxLength(500);
            notification.HasIndex(n => new { n.UserId, n.CreatedAt });
        });

        TenantFilters.Apply(builder, this);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TenantFilters.StampAndGuard(ChangeTracker, tenant.TenantId);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TenantFilters.StampAndGuard(ChangeTracker, tenant.TenantId);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
