using System.Text.RegularExpressions;

namespace Suite.Architecture.Tests;

/// <summary>The reference rules of docs (architecture.md), checked on what each compiled assembly references.</summary>
public sealed partial class ReferenceRulesTests
{
    /// <summary>Every Suite assembly but the host, which may reference anything.</summary>
    public static TheoryData<string> LayeredAssemblies()
    {
        var data = new TheoryData<string>();
        foreach (var assembly in SuiteAssemblies.All.Where(a => a.Kind != AssemblyKind.Host))
            data.Add(assembly.Name);
        return data;
    }

    /// <summary>Which Suite assemblies an assembly may reference, by kind.</summary>
    private static Func<string, bool> AllowedSuiteReference(SuiteAssembly assembly) => assembly.Kind switch
    {
        AssemblyKind.Kernel => _ => false,
        AssemblyKind.Ui => name => name == "Suite.Kernel",
        AssemblyKind.Platform => name => name is "Suite.Kernel" or "Suite.Ui",
        AssemblyKind.Theme => name => name is "Suite.Kernel" or "Suite.Ui",
        AssemblyKind.Contracts => name => name == "Suite.Kernel",
        AssemblyKind.Engine => _ => false,
        AssemblyKind.Module => AllowedForModule(assembly),
        _ => _ => false,
    };

    /// <summary>A module: Kernel, Ui, its own Contracts and engines, and the Contracts of the modules it requires.</summary>
    private static Func<string, bool> AllowedForModule(SuiteAssembly assembly)
    {
        var required = assembly.Modules.SelectMany(m => m.Manifest.Requires).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return name =>
        {
            if (name is "Suite.Kernel" or "Suite.Ui")
                return true;
            var (kind, module) = SuiteAssemblies.Classify(name);
            if (kind is AssemblyKind.Contracts or AssemblyKind.Engine && module == assembly.ModuleName)
                return true;
            return kind == AssemblyKind.Contracts && module is not null && required.Contains(module);
        };
    }

    [Theory]
    [MemberData(nameof(LayeredAssemblies))]
    public void Each_assembly_references_only_the_suite_assemblies_its_layer_allows(string name)
    {
        var assembly = SuiteAssemblies.Named(name);
        var allowed = AllowedSuiteReference(assembly);

        var forbidden = assembly.SuiteReferences.Where(r => !allowed(r)).ToList();

        Assert.True(forbidden.Count == 0, $"{name} ({assembly.Kind}) must not reference {string.Join(", ", forbidden)}.");
    }

    [Theory]
    [MemberData(nameof(LayeredAssemblies))]
    public void Only_the_host_references_module_implementations(string name)
    {
        var implementations = SuiteAssemblies.All.Where(a => a.IsModuleImplementation).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

        var referenced = SuiteAssemblies.Named(name).SuiteReferences.Where(implementations.Contains).ToList();

        Assert.True(referenced.Count == 0, $"{name} must not reference the module implementation(s) {string.Join(", ", referenced)}: only Suite.Web composes modules.");
    }

    [Fact]
    public void The_host_composes_the_platform()
    {
        Assert.Contains("Suite.Platform", SuiteAssemblies.Named("Suite.Web").SuiteReferences);
    }

    /// <summary>Engines (Suite.Meetings.Media, Suite.Mail.Protocols, Suite.Chat.Matrix, …) are checked as soon as
    /// they are referenced by this project: nothing of Suite, no ASP.NET Core, no EF Core.</summary>
    [Fact]
    public void Engines_use_nothing_of_suite_nor_asp_net_core_nor_entity_framework()
    {
        var offenders = SuiteAssemblies.All
            .Where(a => a.Kind == AssemblyKind.Engine)
            .SelectMany(a => a.AllReferences
                .Where(r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                    || r.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal)
                    || SuiteAssemblies.IsSuiteName(r))
                .Select(r => $"{a.Name} → {r}"))
            .ToList();

        Assert.True(offenders.Count == 0, $"Engines must stay plain libraries: {string.Join(", ", offenders)}.");
    }

    [Fact]
    public void Every_suite_assembly_follows_the_naming_convention()
    {
        var unclassified = SuiteAssemblies.All.Where(a => a.Kind == AssemblyKind.Unclassified).Select(a => a.Name).ToList();

        Assert.True(unclassified.Count == 0, $"No rule knows these assemblies: {string.Join(", ", unclassified)}.");
    }

    [Fact]
    public void The_known_layers_are_loaded_so_the_rules_cannot_pass_on_nothing()
    {
        var loaded = SuiteAssemblies.All.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(loaded, new HashSet<string>(["Suite.Kernel", "Suite.Ui", "Suite.Platform", "Suite.Web", "Suite.Theme.Dsfr", "Suite.Theme.Neutral"]));
    }

    [Fact]
    public void The_naming_convention_classifies_engines_contracts_and_modules()
    {
        Assert.Equal((AssemblyKind.Engine, "Meetings"), SuiteAssemblies.Classify("Suite.Meetings.Media"));
        Assert.Equal((AssemblyKind.Engine, "Mail"), SuiteAssemblies.Classify("Suite.Mail.Protocols"));
        Assert.Equal((AssemblyKind.Engine, "Chat"), SuiteAssemblies.Classify("Suite.Chat.Matrix"));
        Assert.Equal((AssemblyKind.Contracts, "Meetings"), SuiteAssemblies.Classify("Suite.Meetings.Contracts"));
        Assert.Equal((AssemblyKind.Module, "Meetings"), SuiteAssemblies.Classify("Suite.Meetings"));
        Assert.Equal((AssemblyKind.Theme, (string?)null), SuiteAssemblies.Classify("Suite.Theme.Dsfr"));
    }

    [Fact]
    public void Module_classes_live_only_in_module_implementations_one_per_assembly()
    {
        foreach (var assembly in SuiteAssemblies.All)
        {
            var count = assembly.Modules.Count;
            if (assembly.IsModuleImplementation)
                Assert.True(count == 1, $"{assembly.Name} should declare exactly one ISuiteModule, found {count}.");
            else
                Assert.True(count == 0, $"{assembly.Name} ({assembly.Kind}) declares an ISuiteModule: modules belong in Suite.<Module> assemblies.");
        }
    }

    /// <summary>Every product project of the solution must be referenced by this test project, so that no module
    /// escapes the rules: adding a module to Suite.sln without referencing it here fails this test.</summary>
    [Fact]
    public void Every_product_project_of_the_solution_is_under_test()
    {
        var solution = FindSolution();
        var products = ProjectLine().Matches(File.ReadAllText(solution))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'))
            .Where(p => p.StartsWith("src/", StringComparison.Ordinal) || p.StartsWith("themes/", StringComparison.Ordinal) || p.StartsWith("modules/", StringComparison.Ordinal))
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .ToList();
        var loaded = SuiteAssemblies.All.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(products);
        var missing = products.Where(p => !loaded.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"Reference {string.Join(", ", missing)} from tests/Suite.Architecture.Tests so the architecture rules cover it.");
    }

    private static string FindSolution()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "Suite.sln");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException($"Suite.sln not found above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex("""^Project\("\{[^}]+\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)", """, RegexOptions.Multiline)]
    private static partial Regex ProjectLine();
}
