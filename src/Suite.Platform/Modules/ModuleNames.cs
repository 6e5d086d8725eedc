using Microsoft.Extensions.Localization;
using Suite.Kernel.Modules;

namespace Suite.Platform.Modules;

/// <summary>A module's display name in the user's language, from the module's own resources.</summary>
internal sealed class ModuleNames(ModuleCatalog catalog, IStringLocalizerFactory localizers)
{
    public string For(string moduleId)
    {
        var module = catalog.Modules.FirstOrDefault(m => m.Manifest.Id == moduleId);
        if (module is null)
            return moduleId;
        var key = module.Manifest.DisplayNameKey;
        return module.ResourceType is { } resources ? localizers.Create(resources)[key] : key;
    }
}
