using System.Reflection;
using Suite.Kernel.Modules;

namespace Suite.Architecture.Tests;

/// <summary>What an assembly is, read from its name by the layout's naming convention.</summary>
public enum AssemblyKind
{
    Kernel,
    Ui,
    Platform,
    Host,
    Theme,
    Contracts,
    Engine,
    Module,
    Unclassified,
}

/// <param name="ModuleName">For modules, their Contracts and engines: the module part of the name (Suite.&lt;Module&gt;.…).</param>
public sealed record SuiteAssembly(Assembly Assembly, AssemblyKind Kind, string? ModuleName)
{
    public string Name => Assembly.GetName().Name!;

    /// <summary>Module implementations: the platform and every Suite.&lt;Module&gt;.</summary>
    public bool IsModuleImplementation => Kind is AssemblyKind.Platform or AssemblyKind.Module;

    public IReadOnlyList<string> SuiteReferences =>
        [.. Assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(SuiteAssemblies.IsSuiteName).Order(StringComparer.Ordinal)];

    public IReadOnlyList<string> AllReferences => [.. Assembly.GetReferencedAssemblies().Select(a => a.Name!)];

    /// <summary>The module classes this assembly declares, instantiated to read their manifests.</summary>
    public IReadOnlyList<ISuiteModule> Modules =>
    [
        .. SuiteAssemblies.TypesOf(Assembly)
            .Where(t => typeof(ISuiteModule).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (ISuiteModule)Activator.CreateInstance(t, nonPublic: true)!),
    ];

    public override string ToString() => Name;
}

/// <summary>The suite's own assemblies, as deployed next to this test (every project this test project references).
/// The rules below are driven by these names, so a new module is checked as soon as it is referenced.</summary>
public static class SuiteAssemblies
{
    private static readonly string[] NotUnderTest = ["Suite.Testing", "Suite.E2E"];

    private static readonly Lazy<IReadOnlyList<SuiteAssembly>> Loaded = new(Load);

    public static IReadOnlyList<SuiteAssembly> All => Loaded.Value;

    public static SuiteAssembly Named(string name) => All.Single(a => a.Name == name);

    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var assembly in All)
            data.Add(assembly.Name);
        return data;
    }

    public static bool IsSuiteName(string name) =>
        name.StartsWith("Suite.", StringComparison.Ordinal)
        && !name.EndsWith(".Tests", StringComparison.Ordinal)
        && !NotUnderTest.Contains(name, StringComparer.Ordinal);

    public static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            throw new InvalidOperationException(
                $"Types of {assembly.GetName().Name} could not all be loaded: {string.Join("; ", partial.LoaderExceptions.Select(e => e?.Message))}", partial);
        }
    }

    public static (AssemblyKind Kind, string? ModuleName) Classify(string name)
    {
        var parts = name.Split('.');
        return name switch
        {
            "Suite.Kernel" => (AssemblyKind.Kernel, null),
            "Suite.Ui" => (AssemblyKind.Ui, null),
            "Suite.Platform" => (AssemblyKind.Platform, "Platform"),
            "Suite.Web" => (AssemblyKind.Host, null),
            _ when parts.Length == 3 && parts[1] == "Theme" => (AssemblyKind.Theme, null),
            _ when parts.Length == 3 && parts[2] == "Contracts" => (AssemblyKind.Contracts, parts[1]),
            _ when parts.Length == 3 => (AssemblyKind.Engine, parts[1]),
            _ when parts.Length == 2 => (AssemblyKind.Module, parts[1]),
            _ => (AssemblyKind.Unclassified, null),
        };
    }

    private static IReadOnlyList<SuiteAssembly> Load()
    {
        var self = typeof(SuiteAssemblies).Assembly.GetName().Name;
        var result = new List<SuiteAssembly>();
        foreach (var path in Directory.EnumerateFiles(AppContext.BaseDirectory, "Suite.*.dll").Order(StringComparer.Ordinal))
        {
            var name = AssemblyName.GetAssemblyName(path);
            if (name.Name is null || name.Name == self || !IsSuiteName(name.Name))
                continue;
            var (kind, module) = Classify(name.Name);
            result.Add(new SuiteAssembly(Assembly.Load(name), kind, module));
        }
        return result;
    }
}
