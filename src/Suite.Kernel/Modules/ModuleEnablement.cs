namespace Suite.Kernel.Modules;

/// <summary>The switches stored for one ministry and for the chain of departments from the active one up to the root.</summary>
/// <param name="Tenant">Ministry layer: true/false per module id; missing = the module's deployment default.</param>
/// <param name="DepartmentChain">Department layers, the active department first, then its parents; missing = inherit.</param>
public sealed record ModuleSwitches(IReadOnlyDictionary<string, bool> Tenant, IReadOnlyList<IReadOnlyDictionary<string, bool>> DepartmentChain)
{
    public static readonly ModuleSwitches None = new(new Dictionary<string, bool>(), []);
}

/// <summary>Pure rules of the three layers: deployment availability → ministry (also the ceiling) → department
/// (inherits when unset), then dependencies: a module is effective only if what it requires is effective.</summary>
public static class ModuleEnablement
{
    public static IReadOnlySet<string> Effective(ModuleCatalog catalog, ModuleSwitches switches, Func<string, bool> enabledByDefault)
    {
        var effective = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in catalog.Modules) // dependency order: requirements are decided first
        {
            var id = module.Manifest.Id;
            if (module.Manifest.AlwaysOn)
            {
                effective.Add(id);
                continue;
            }
            var forMinistry = switches.Tenant.TryGetValue(id, out var t) ? t : enabledByDefault(id);
            if (!forMinistry)
                continue;
            var forDepartment = true;
            foreach (var layer in switches.DepartmentChain)
            {
                if (layer.TryGetValue(id, out var d))
                {
                    forDepartment = d;
                    break;
                }
            }
            if (forDepartment && module.Manifest.Requires.All(effective.Contains))
                effective.Add(id);
        }
        return effective;
    }
}

/// <summary>Answers "may the current user use this module now?" — asked by navigation, the module policies,
/// API groups, pages, jobs, event handlers and UI slots.</summary>
public interface IModuleGate
{
    Task<IReadOnlySet<string>> EnabledModulesAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlySet<string>> EnabledModulesForAsync(Guid tenantId, Guid? departmentId, CancellationToken cancellationToken = default);

    async Task<bool> IsEnabledAsync(string moduleId, CancellationToken cancellationToken = default) =>
        (await EnabledModulesAsync(cancellationToken)).Contains(moduleId);
}
