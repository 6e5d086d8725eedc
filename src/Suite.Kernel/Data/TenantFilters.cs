using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Data;

/// <summary>What a DbContext exposes so that its named query filters can read the current scope per instance
/// (EF parameterises members of the context, so one cached model serves every tenant).</summary>
public interface ITenantFilterSource
{
    Guid CurrentTenantFilter { get; }
    List<Guid> CurrentDepartmentFilter { get; }
}

/// <summary>Applies the "tenant" and "department" named filters to every entity implementing
/// <see cref="ITenantScoped"/> / <see cref="IDepartmentScoped"/>, and stamps/guards TenantId on save.</summary>
public static class TenantFilters
{
    public static void Apply<TContext>(ModelBuilder modelBuilder, TContext context) where TContext : DbContext, ITenantFilterSource
    {
        // The constant must be typed as the context itself: EF swaps it for the querying instance at run time.
        var sourceExpression = Expression.Convert(Expression.Constant(context, context.GetType()), typeof(ITenantFilterSource));
        foreach (var entityType in modelBuilder.Model.GetEntityTypes())
        {
            var clr = entityType.ClrType;
            if (entityType.BaseType is not null)
                continue;
            var entity = Expression.Parameter(clr, "e");
            if (typeof(ITenantScoped).IsAssignableFrom(clr))
            {
                var tenantId = Expression.Property(Expression.Convert(entity, typeof(ITenantScoped)), nameof(ITenantScoped.TenantId));
                var current = Expression.Property(sourceExpression, nameof(ITenantFilterSource.CurrentTenantFilter));
                var body = Expression.Equal(tenantId, current);
                modelBuilder.Entity(clr).HasQueryFilter(QueryFilterNames.Tenant, Expression.Lambda(body, entity));
            }
            if (typeof(IDepartmentScoped).IsAssignableFrom(clr))
            {
                var departmentId = Expression.Property(Expression.Convert(entity, typeof(IDepartmentScoped)), nameof(IDepartmentScoped.DepartmentId));
                var departments = Expression.Property(sourceExpression, nameof(ITenantFilterSource.CurrentDepartmentFilter));
                var isShared = Expression.Equal(departmentId, Expression.Constant(null, typeof(Guid?)));
                var contains = Expression.Call(departments, typeof(List<Guid>).GetMethod(nameof(List<Guid>.Contains))!,
                    Expression.Property(departmentId, nameof(Nullable<Guid>.Value)));
                var body = Expression.OrElse(isShared, contains);
                modelBuilder.Entity(clr).HasQueryFilter(QueryFilterNames.Department, Expression.Lambda(body, entity));
            }
        }
    }

    /// <summary>Stamps the current tenant on new rows and refuses to move a row to another tenant or to write without one.</summary>
    public static void StampAndGuard(ChangeTracker changeTracker, Guid? tenantId)
    {
        foreach (var entry in changeTracker.Entries<ITenantScoped>())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    if (entry.Entity.TenantId == Guid.Empty)
                    {
                        entry.Entity.TenantId = tenantId ?? throw new TenantIsolationException(
                            $"A {entry.Entity.GetType().Name} cannot be created without a current ministry.");
                    }
                    else if (tenantId is { } current && entry.Entity.TenantId != current)
                    {
                        throw new TenantIsolationException($"A {entry.Entity.GetType().Name} cannot be created in another ministry.");
                    }
                    break;
                case EntityState.Modified:
                case EntityState.Deleted:
                    var property = entry.Property(e => e.TenantId);
                    if (property.IsModified && !Equals(property.OriginalValue, property.CurrentValue))
                        throw new TenantIsolationException($"A {entry.Entity.GetType().Name} cannot change ministry.");
                    if (tenantId is { } owner && entry.Entity.TenantId != owner)
                        throw new TenantIsolationException($"A {entry.Entity.GetType().Name} of another ministry cannot be changed.");
                    break;
            }
        }
    }
}

public sealed class TenantIsolationException(string message) : InvalidOperationException(message);
