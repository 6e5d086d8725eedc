using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;

namespace Suite.Architecture.Tests;

/// <summary>"internal sealed by default": a class is sealed, abstract or static; only Razor components (and layouts)
/// may stay open, since the Razor compiler generates them (with the _Imports class it generates from _Imports.razor).</summary>
public sealed class TypeDesignTests
{
    public static TheoryData<string> Assemblies() => SuiteAssemblies.Names();

    private static bool IsCompilerGenerated(Type type) =>
        type.Name.Contains('<', StringComparison.Ordinal)
        || type.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false)
        || (type.DeclaringType is { } outer && IsCompilerGenerated(outer));

    /// <summary>The class the Razor compiler emits for an _Imports.razor file (not a component, never instantiated).</summary>
    private static bool IsRazorImports(Type type) =>
        type.Name == "_Imports" && type.GetMethod("Execute", BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes) is not null;

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Classes_are_sealed_abstract_or_static_unless_they_are_razor_components(string name)
    {
        var types = SuiteAssemblies.TypesOf(SuiteAssemblies.Named(name).Assembly).ToList();
        // A class other classes of its assembly derive from is open by design (an exception hierarchy callers catch by base).
        var bases = types.Select(t => t.BaseType).Where(b => b is not null).ToHashSet();
        var offenders = types
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !bases.Contains(t))
            .Where(t => !typeof(Delegate).IsAssignableFrom(t))
            .Where(t => !IsCompilerGenerated(t))
            .Where(t => !typeof(ComponentBase).IsAssignableFrom(t))
            .Where(t => !IsRazorImports(t))
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(offenders.Count == 0, $"Seal these classes of {name} (or make them abstract/static): {string.Join(", ", offenders)}.");
    }
}
