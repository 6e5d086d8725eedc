using System.Collections.Concurrent;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Tests.Support;

/// <summary>Which modules each ministry has enabled, shared by every <see cref="FakeModuleGate"/> of a test,
/// with a record of the questions asked.</summary>
internal sealed class EnabledModules
{
    private readonly ConcurrentDictionary<Guid, HashSet<string>> _byTenant = new();

    public ConcurrentQueue<(Guid TenantId, Guid? DepartmentId)> Questions { get; } = new();

    public EnabledModules Enable(Guid tenantId, params string[] moduleIds)
    {
        _byTenant.GetOrAdd(tenantId, _ => new HashSet<string>(StringComparer.Ordinal)).UnionWith(moduleIds);
        return this;
    }

    public IReadOnlySet<string> For(Guid tenantId) =>
        _byTenant.TryGetValue(tenantId, out var set) ? new HashSet<string>(set, StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>A hand-written gate answering from <see cref="EnabledModules"/>; scoped like the real one, so it can
/// answer for the scope's current ministry.</summary>
internal sealed class FakeModuleGate(EnabledModules table, ITenantContext tenant) : IModuleGate
{
    public Task<IReadOnlySet<string>> EnabledModulesAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(tenant.TenantId is { } id ? table.For(id) : new HashSet<string>(StringComparer.Ordinal));

    public Task<IReadOnlySet<string>> EnabledModulesForAsync(Guid tenantId, Guid? departmentId, CancellationToken cancellationToken = default)
    {
        table.Questions.Enqueue((tenantId, departmentId));
        return Task.FromResult(table.For(tenantId));
    }
}
