using Suite.Kernel.Modules;

namespace Suite.Kernel.Settings;

/// <summary>Every setting and feature definition of the modules running in this deployment.</summary>
public sealed class SettingRegistry(ModuleCatalog catalog)
{
    private readonly Dictionary<string, SettingDefinition> _byName =
        catalog.Modules.SelectMany(m => m.Settings).ToDictionary(s => s.Name, StringComparer.Ordinal);

    public IEnumerable<SettingDefinition> All => _byName.Values;

    public SettingDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<SettingDefinition> ForModule(string moduleId) => _byName.Values.Where(d => d.ModuleId == moduleId);
}
