using Suite.Kernel.Modules;

namespace Suite.Kernel.Authorization;

/// <summary>A permission a module defines, granted by default to the listed roles (and every higher admin level).</summary>
public sealed record PermissionDefinition(string ModuleId, string Name, SuiteRole MinimumRole);

/// <summary>The four levels of the suite, lowest first. A higher level holds every permission of the lower ones,
/// but only inside its own scope (enforced by <see cref="IAdminScope"/>).</summary>
public enum SuiteRole
{
    Member = 0,
    DepartmentAdministrator = 1,
    MinistryAdministrator = 2,
    PlatformAdministrator = 3,
}

public sealed class PermissionBuilder(string moduleId)
{
    private readonly List<PermissionDefinition> _definitions = [];

    public IReadOnlyList<PermissionDefinition> Definitions => _definitions;

    public PermissionBuilder Define(string name, SuiteRole minimumRole = SuiteRole.Member)
    {
        NameRules.EnsureQualified(moduleId, name, "permission");
        _definitions.Add(new PermissionDefinition(moduleId, name, minimumRole));
        return this;
    }
}

internal static class NameRules
{
    /// <summary>Names are "&lt;module&gt;.&lt;thing&gt;" in kebab-case so that two modules can never collide.</summary>
    public static void EnsureQualified(string moduleId, string name, string kind)
    {
        if (!name.StartsWith(moduleId + ".", StringComparison.Ordinal))
            throw new ModuleConfigurationException($"The {kind} '{name}' of module '{moduleId}' must be named '{moduleId}.<name>'.");
        // After the module id: words of [a-z0-9] joined by single '-' or '.', no empty word anywhere.
        var words = name[(moduleId.Length + 1)..].Split('.', '-');
        if (words.Any(w => w.Length == 0 || !w.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
            throw new ModuleConfigurationException($"The {kind} '{name}' must be lowercase kebab-case ('{moduleId}.max-participants').");
    }
}
