namespace Suite.Architecture.Tests;

/// <summary>The reference rules of the architecture, as a pure function of names so they can be checked on the real
/// assemblies and on made-up ones (a module that does not exist yet).</summary>
public static class ReferenceRules
{
    /// <summary>The references of <paramref name="assemblyName"/> that break the rules.</summary>
    /// <param name="requiredModuleIds">Ids the module's manifest requires (modules only).</param>
    public static IReadOnlyList<string> Violations(string assemblyName, IReadOnlyCollection<string> requiredModuleIds, IEnumerable<string> references)
    {
        var (kind, module) = SuiteAssemblies.Classify(assemblyName);
        if (kind == AssemblyKind.Host)
            return [];
        var required = requiredModuleIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. references.Where(reference => !Allowed(kind, module, required, reference))];
    }

    private static bool Allowed(AssemblyKind kind, string? module, HashSet<string> required, string reference)
    {
        if (kind == AssemblyKind.Engine)
            return !SuiteAssemblies.IsSuiteName(reference)
                && !reference.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)
                && !reference.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal);
        if (!SuiteAssemblies.IsSuiteName(reference))
            return true;
        var (referenceKind, referenceModule) = SuiteAssemblies.Classify(reference);
        return kind switch
        {
            AssemblyKind.Kernel => false,
            AssemblyKind.Ui => referenceKind == AssemblyKind.Kernel,
            AssemblyKind.Platform or AssemblyKind.Theme => referenceKind is AssemblyKind.Kernel or AssemblyKind.Ui,
            AssemblyKind.Contracts => referenceKind == AssemblyKind.Kernel,
            AssemblyKind.Module => referenceKind is AssemblyKind.Kernel or AssemblyKind.Ui
                || (referenceKind is AssemblyKind.Contracts or AssemblyKind.Engine && referenceModule == module)
                || (referenceKind == AssemblyKind.Contracts && referenceModule is not null && required.Contains(referenceModule)),
            _ => false,
        };
    }
}
