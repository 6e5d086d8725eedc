using Microsoft.Extensions.Configuration;

namespace Suite.Kernel.Modules;

public sealed class ModuleConfigurationException(string message) : Exception(message);

/// <summary>Which modules this deployment runs, in dependency order. Built once at start-up.</summary>
public sealed class ModuleCatalog
{
    private readonly Dictionary<string, LoadedModule> _byId;

    private ModuleCatalog(IReadOnlyList<LoadedModule> modules, IReadOnlyList<string> unavailable)
    {
        Modules = modules;
        Unavailable = unavailable;
        _byId = modules.ToDictionary(m => m.Manifest.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<LoadedModule> Modules { get; }

    /// <summary>Module ids the deployment switched off (Suite:Modules:&lt;Id&gt;:Available = false), or that need one of those.</summary>
    public IReadOnlyList<string> Unavailable { get; }

    public LoadedModule? Find(string id) => _byId.GetValueOrDefault(id);

    /// <summary>Keeps available modules, orders them so that every module comes after what it requires, and
    /// refuses duplicate ids, unknown dependencies and cycles with a message naming the modules.</summary>
    public static (ModuleCatalog Catalog, IReadOnlyList<ISuiteModule> Ordered) Create(IReadOnlyList<ISuiteModule> modules, IConfiguration configuration)
    {
        var byId = new Dictionary<string, ISuiteModule>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            var id = module.Manifest.Id;
            if (string.IsNullOrWhiteSpace(id) || !id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)))
                throw new ModuleConfigurationException($"Module id '{id}' must be lowercase letters and digits.");
            if (!byId.TryAdd(id, module))
                throw new ModuleConfigurationException($"Two modules use the id '{id}'.");
        }
        foreach (var module in modules)
        {
            foreach (var required in module.Manifest.Requires)
            {
                if (!byId.ContainsKey(required))
                    throw new ModuleConfigurationException($"Module '{module.Manifest.Id}' requires '{required}', which is not part of this build.");
            }
        }

        var unavailable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            var available = configuration.GetValue<bool?>($"Suite:Modules:{module.Manifest.Id}:Available") ?? true;
            if (!available && module.Manifest.AlwaysOn)
                throw new ModuleConfigurationException($"Module '{module.Manifest.Id}' is always on and cannot be made unavailable.");
            if (!available)
                unavailable.Add(module.Manifest.Id);
        }

        var ordered = new List<ISuiteModule>();
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false = visiting, true = done
        foreach (var module in modules)
            Visit(module, byId, state, ordered, []);

        // A module that requires an unavailable one is unavailable too (dependencies come first in 'ordered').
        foreach (var module in ordered)
        {
            if (module.Manifest.Requires.Any(unavailable.Contains))
                unavailable.Add(module.Manifest.Id);
        }

        var kept = ordered.Where(m => !unavailable.Contains(m.Manifest.Id)).ToList();
        var catalog = new ModuleCatalog(
            kept.Select(m => new LoadedModule(m.Manifest)).ToList(),
            ordered.Where(m => unavailable.Contains(m.Manifest.Id)).Select(m => m.Manifest.Id).ToList());
        return (catalog, kept);
    }

    private static void Visit(ISuiteModule module, Dictionary<string, ISuiteModule> byId, Dictionary<string, bool> state, List<ISuiteModule> ordered, List<string> path)
    {
        var id = module.Manifest.Id;
        if (state.TryGetValue(id, out var done))
        {
            if (!done)
                throw new ModuleConfigurationException($"Modules depend on each other in a cycle: {string.Join(" → ", path.Append(id))}.");
            return;
        }
        state[id] = false;
        path.Add(id);
        foreach (var required in module.Manifest.Requires)
            Visit(byId[required], byId, state, ordered, path);
        path.RemoveAt(path.Count - 1);
        state[id] = true;
        ordered.Add(module);
    }
}

/// <summary>A module that runs in this deployment, with everything it registered.</summary>
public sealed class LoadedModule(ModuleManifest manifest)
{
    public ModuleManifest Manifest { get; } = manifest;
    public IReadOnlyList<Navigation.NavigationItem> Navigation { get; internal set; } = [];
    public IReadOnlyList<Authorization.PermissionDefinition> Permissions { get; internal set; } = [];
    public IReadOnlyList<Settings.SettingDefinition> Settings { get; internal set; } = [];
    public IReadOnlyList<Jobs.JobDefinition> Jobs { get; internal set; } = [];
    public IReadOnlyList<Events.EventSubscription> EventSubscriptions { get; internal set; } = [];
    public IReadOnlyList<SlotContribution> Slots { get; internal set; } = [];
    public IReadOnlyList<System.Reflection.Assembly> PageAssemblies { get; internal set; } = [];
    public IReadOnlyList<Type> DbContexts { get; internal set; } = [];
    /// <summary>Marker type of the module's resource files, for navigation titles and setting labels.</summary>
    public Type? ResourceType { get; internal set; }
    internal IReadOnlyList<Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>> Endpoints { get; set; } = [];
}
