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

    [Theory]
    [MemberData(nameof(LayeredAssemblies))]
    public void Each_assembly_references_only_the_suite_assemblies_its_layer_allows(string name)
    {
        var assembly = SuiteAssemblies.Named(name);
        var required = assembly.Modules.SelectMany(m => m.Manifest.Requires).ToList();

        var forbidden = ReferenceRules.Violations(name, required, assembly.AllReferences);

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

    // The rules applied to assemblies that do not exist yet: what a new module, its Contracts or its engine may use.

    [Theory]
    [InlineData("Suite.Meetings.Media", "System.Net.Sockets")]
    [InlineData("Suite.Meetings.Media", "BouncyCastle.Crypto")]
    [InlineData("Suite.Meetings", "Suite.Kernel")]
    [InlineData("Suite.Meetings", "Suite.Ui")]
    [InlineData("Suite.Meetings", "Suite.Meetings.Contracts")]
    [InlineData("Suite.Meetings", "Suite.Meetings.Media")]
    [InlineData("Suite.Meetings", "Suite.Chat.Contracts")]
    [InlineData("Suite.Meetings", "Microsoft.EntityFrameworkCore")]
    [InlineData("Suite.Meetings.Contracts", "Suite.Kernel")]
    [InlineData("Suite.Theme.Dsfr", "Suite.Ui")]
    [InlineData("Suite.Web", "Suite.Meetings")]
    public void A_reference_the_layout_allows_is_accepted(string assembly, string reference) =>
        Assert.Empty(ReferenceRules.Violations(assembly, ["chat"], [reference]));

    [Theory]
    [InlineData("Suite.Meetings.Media", "Suite.Kernel")]
    [InlineData("Suite.Meetings.Media", "Suite.Meetings.Contracts")]
    [InlineData("Suite.Mail.Protocols", "Microsoft.AspNetCore.Http.Abstractions")]
    [InlineData("Suite.Chat.Matrix", "Microsoft.EntityFrameworkCore.Relational")]
    [InlineData("Suite.Meetings", "Suite.Chat")]
    [InlineData("Suite.Meetings", "Suite.Platform")]
    [InlineData("Suite.Meetings", "Suite.Mail.Contracts")]
    [InlineData("Suite.Meetings", "Suite.Chat.Matrix")]
    [InlineData("Suite.Meetings", "Suite.Theme.Dsfr")]
    [InlineData("Suite.Meetings", "Suite.Web")]
    [InlineData("Suite.Meetings.Contracts", "Suite.Ui")]
    [InlineData("Suite.Meetings.Contracts", "Suite.Chat.Contracts")]
    [InlineData("Suite.Kernel", "Suite.Ui")]
    [InlineData("Suite.Ui", "Suite.Platform")]
    [InlineData("Suite.Platform", "Suite.Meetings.Contracts")]
    [InlineData("Suite.Theme.Neutral", "Suite.Platform")]
    [InlineData("Suite.Theme.Neutral", "Suite.Theme.Dsfr")]
    public void A_reference_the_layout_forbids_is_reported(string assembly, string reference) =>
        Assert.Equal([reference], ReferenceRules.Violations(assembly, ["chat"], [reference]));

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

        Assert.Superset(new HashSet<string>(["Suite.Kernel", "Suite.Ui", "Suite.Platform", "Suite.Web", "Suite.Theme.Dsfr", "Suite.Theme.Neutral"]), loaded);
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
