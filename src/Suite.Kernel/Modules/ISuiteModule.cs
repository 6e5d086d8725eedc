namespace Suite.Kernel.Modules;

/// <summary>A module declares itself with a manifest and registers what it brings in <see cref="Build"/>.</summary>
public interface ISuiteModule
{
    ModuleManifest Manifest { get; }

    void Build(ModuleBuilder module);
}

/// <param name="Id">Lowercase id: used for routes (/id, /api/id, /admin/id), the schema and the policy "module:id".</param>
/// <param name="DisplayNameKey">Resource key (or literal) for the module's name in the portal.</param>
/// <param name="Requires">Ids of modules that must be effective for this one to be.</param>
/// <param name="AlwaysOn">True only for the platform itself: it cannot be switched off.</param>
public sealed record ModuleManifest(string Id, string DisplayNameKey, IReadOnlyList<string> Requires, bool AlwaysOn = false)
{
    public string PolicyName => ModulePolicies.For(Id);
}

public static class ModulePolicies
{
    public const string Prefix = "module:";

    public static string For(string moduleId) => Prefix + moduleId;
}
