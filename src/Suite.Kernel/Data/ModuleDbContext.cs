using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Data;

/// <summary>Base class of every module's DbContext: the module's schema, the named tenant/department filters
/// (fail closed: no tenant, no rows) and tenant stamping on save.</summary>
public abstract class ModuleDbContext(DbContextOptions options, ITenantContext tenant) : DbContext(options), ITenantFilterSource
{
    /// <summary>The module id, used as schema (PostgreSQL) and as migrations-history location.</summary>
    protected abstract string Schema { get; }

    public ITenantContext Tenant { get; } = tenant;

    Guid ITenantFilterSource.CurrentTenantFilter => Tenant.TenantId ?? Guid.Empty;

    List<Guid> ITenantFilterSource.CurrentDepartmentFilter => [.. Tenant.DepartmentIds];

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(ModuleDatabase.SchemaFor(Database.ProviderName, Schema));
        ConfigureModel(modelBuilder);
        TenantFilters.Apply(modelBuilder, this);
    }

    protected abstract void ConfigureModel(ModelBuilder modelBuilder);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        TenantFilters.StampAndGuard(ChangeTracker, Tenant.TenantId);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        TenantFilters.StampAndGuard(ChangeTracker, Tenant.TenantId);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }
}
