using System.Reflection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;

namespace Suite.Architecture.Tests;

/// <summary>Every entity with a TenantId is either tenant-scoped (and filtered) or explicitly cross-tenant with a reason;
/// every department-scoped entity is filtered by department. Checked on the models EF really builds.</summary>
public sealed class TenantIsolationTests
{
    public static TheoryData<string> DbContexts()
    {
        var data = new TheoryData<string>();
        foreach (var type in ContextTypes())
            data.Add(type.AssemblyQualifiedName!);
        return data;
    }

    private static IEnumerable<Type> ContextTypes() =>
        SuiteAssemblies.All
            .SelectMany(a => SuiteAssemblies.TypesOf(a.Assembly))
            .Where(t => typeof(DbContext).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false, ContainsGenericParameters: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    /// <summary>Builds a context of the given type on an in-memory SQLite connection, supplying the options and an empty
    /// tenant context to its constructor.</summary>
    private static DbContext Create(Type contextType, SqliteConnection connection)
    {
        var builder = (DbContextOptionsBuilder)Activator.CreateInstance(typeof(DbContextOptionsBuilder<>).MakeGenericType(contextType))!;
        builder.UseSqlite(connection);
        var options = builder.Options;
        foreach (var constructor in contextType.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                     .OrderByDescending(c => c.GetParameters().Length))
        {
            var arguments = constructor.GetParameters().Select(p => Argument(p.ParameterType, options)).ToArray();
            if (arguments.All(a => a is not null))
                return (DbContext)constructor.Invoke(arguments);
        }
        throw new InvalidOperationException($"{contextType.Name} has no constructor this test can call (options, ITenantContext): teach Create how to build it.");
    }

    private static object? Argument(Type type, DbContextOptions options) =>
        type.IsInstanceOfType(options) ? options
        : type == typeof(ITenantContext) || type == typeof(TenantContext) ? new TenantContext()
        : null;

    private static IReadOnlySet<string?> FilterNames(IEntityType entityType) =>
        entityType.GetRootType().GetDeclaredQueryFilters().Select(f => f.Key).ToHashSet();

    [Fact]
    public void The_platform_context_is_among_the_contexts_checked()
    {
        Assert.Contains(ContextTypes(), t => t.Name == "PlatformDbContext");
    }

    /// <summary>What breaks the tenancy rules in a built model.</summary>
    internal static IReadOnlyList<string> Offenders(IModel model)
    {
        var offenders = new List<string>();
        foreach (var entityType in model.GetEntityTypes())
        {
            var clr = entityType.ClrType;
            var hasTenantId = clr.GetProperty(nameof(ITenantScoped.TenantId), BindingFlags.Public | BindingFlags.Instance) is not null;
            var scoped = typeof(ITenantScoped).IsAssignableFrom(clr);
            var crossTenant = clr.GetCustomAttribute<CrossTenantAttribute>(inherit: false);

            if (scoped && !FilterNames(entityType).Contains(QueryFilterNames.Tenant))
                offenders.Add($"{clr.Name} is ITenantScoped but has no \"tenant\" query filter");
            if (scoped && crossTenant is not null)
                offenders.Add($"{clr.Name} is both ITenantScoped and [CrossTenant]");
            if (hasTenantId && !scoped && crossTenant is null)
                offenders.Add($"{clr.Name} has a TenantId but is neither ITenantScoped nor [CrossTenant(\"reason\")]");
            if (crossTenant is not null && string.IsNullOrWhiteSpace(crossTenant.Reason))
                offenders.Add($"{clr.Name} is [CrossTenant] without a reason");
            if (typeof(IDepartmentScoped).IsAssignableFrom(clr) && !FilterNames(entityType).Contains(QueryFilterNames.Department))
                offenders.Add($"{clr.Name} is IDepartmentScoped but has no \"department\" query filter");
        }
        return offenders;
    }

    [Theory]
    [MemberData(nameof(DbContexts))]
    public void Every_entity_with_a_tenant_id_is_filtered_by_tenant_or_marked_cross_tenant_with_a_reason(string contextTypeName)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var context = Create(Type.GetType(contextTypeName, throwOnError: true)!, connection);

        var offenders = Offenders(context.Model).Where(o => !o.Contains("IDepartmentScoped", StringComparison.Ordinal)).ToList();

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    [Theory]
    [MemberData(nameof(DbContexts))]
    public void Every_department_scoped_entity_is_filtered_by_department(string contextTypeName)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var context = Create(Type.GetType(contextTypeName, throwOnError: true)!, connection);

        var offenders = Offenders(context.Model).Where(o => o.Contains("IDepartmentScoped", StringComparison.Ordinal)).ToList();

        Assert.True(offenders.Count == 0, string.Join(Environment.NewLine, offenders));
    }

    [Fact]
    public void A_careless_context_is_reported_for_every_broken_rule()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var context = Create(typeof(CarelessDbContext), connection);

        var offenders = Offenders(context.Model);

        Assert.Equal(
            [
                "Both is both ITenantScoped and [CrossTenant]",
                "Excused is [CrossTenant] without a reason",
                "Leaky has a TenantId but is neither ITenantScoped nor [CrossTenant(\"reason\")]",
                "Unfiltered is IDepartmentScoped but has no \"department\" query filter",
                "Unfiltered is ITenantScoped but has no \"tenant\" query filter",
            ],
            offenders.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(DbContexts))]
    public void Queries_of_tenant_scoped_entities_filter_on_the_tenant_in_sql(string contextTypeName)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var context = Create(Type.GetType(contextTypeName, throwOnError: true)!, connection);
        var tenantScoped = context.Model.GetEntityTypes()
            .Where(e => typeof(ITenantScoped).IsAssignableFrom(e.ClrType) && e.BaseType is null && !e.HasSharedClrType)
            .Select(e => e.ClrType)
            .ToList();

        foreach (var clr in tenantScoped)
        {
            var query = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!
                .MakeGenericMethod(clr).Invoke(context, null)!;
            var sql = query.ToQueryString();
            var where = sql.IndexOf("WHERE", StringComparison.Ordinal);
            Assert.True(where >= 0 && sql[where..].Contains("TenantId", StringComparison.Ordinal),
                $"The query of {clr.Name} does not filter on TenantId:{Environment.NewLine}{sql}");
        }
    }

    internal sealed class Leaky
    {
        public int Id { get; set; }
        public Guid TenantId { get; set; }
    }

    internal sealed class Unfiltered : ITenantScoped, IDepartmentScoped
    {
        public int Id { get; set; }
        public Guid TenantId { get; set; }
        public Guid? DepartmentId { get; set; }
    }

    [CrossTenant(" ")]
    internal sealed class Excused
    {
        public int Id { get; set; }
        public Guid? TenantId { get; set; }
    }

    [CrossTenant("Contradiction on purpose.")]
    internal sealed class Both : ITenantScoped
    {
        public int Id { get; set; }
        public Guid TenantId { get; set; }
    }

    /// <summary>A plain DbContext (not a ModuleDbContext) that forgets every rule, to prove the check reports them.
    /// Both gets its filter by hand, so only its contradictory marker is reported.</summary>
    internal sealed class CarelessDbContext(DbContextOptions<CarelessDbContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Leaky>();
            modelBuilder.Entity<Unfiltered>();
            modelBuilder.Entity<Excused>();
            modelBuilder.Entity<Both>().HasQueryFilter(QueryFilterNames.Tenant, b => b.TenantId != Guid.Empty);
        }
    }
}
