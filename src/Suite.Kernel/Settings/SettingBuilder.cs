using System.Globalization;
using Suite.Kernel.Authorization;
using Suite.Kernel.Modules;

namespace Suite.Kernel.Settings;

public sealed class SettingBuilder(string moduleId)
{
    private readonly List<SettingDefinition> _definitions = [];

    public IReadOnlyList<SettingDefinition> Definitions => _definitions;

    public SettingBuilder Add(SettingDefinition definition)
    {
        if (definition.ModuleId != moduleId)
            throw new ModuleConfigurationException($"Module '{moduleId}' cannot define the setting '{definition.Name}' of module '{definition.ModuleId}'.");
        NameRules.EnsureQualified(moduleId, definition.Name, "setting");
        if (definition.Validate(definition.DefaultValue) is { } error)
            throw new ModuleConfigurationException($"The default of setting '{definition.Name}' is invalid ({error}).");
        _definitions.Add(definition);
        return this;
    }

    public SettingBuilder Add<T>(Setting<T> setting) => Add(setting.Definition);
}

public sealed class FeatureBuilder(SettingBuilder settings)
{
    /// <summary>A feature switch, settable by the platform, a ministry or a department.</summary>
    public FeatureBuilder Toggle(Setting<bool> feature)
    {
        if (feature.Definition.Kind != SettingKind.Feature || feature.Definition.Type != SettingType.Bool)
            throw new ModuleConfigurationException($"'{feature.Name}' is not declared as a feature (use Define.Feature).");
        settings.Add(feature.Definition);
        return this;
    }
}

/// <summary>Helpers for a module's Contracts to declare typed settings in one line.</summary>
public static class Define
{
    public static Setting<bool> Feature(string moduleId, string name, bool byDefault, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Bool, byDefault ? "true" : "false", SettingScopes.AllButUser, displayNameKey, descriptionKey, Kind: SettingKind.Feature));

    public static Setting<bool> Bool(string moduleId, string name, bool byDefault, SettingScopes scopes, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Bool, byDefault ? "true" : "false", scopes, displayNameKey, descriptionKey));

    public static Setting<int> Int(string moduleId, string name, int byDefault, SettingScopes scopes, string displayNameKey, int? minimum = null, int? maximum = null, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Int, byDefault.ToString(CultureInfo.InvariantCulture), scopes, displayNameKey, descriptionKey, Minimum: minimum, Maximum: maximum));

    public static Setting<string> String(string moduleId, string name, string? byDefault, SettingScopes scopes, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.String, byDefault, scopes, displayNameKey, descriptionKey));

    public static Setting<string> Colour(string moduleId, string name, string? byDefault, SettingScopes scopes, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Colour, byDefault, scopes, displayNameKey, descriptionKey));

    public static Setting<string> Enum(string moduleId, string name, string byDefault, IReadOnlyList<string> allowed, SettingScopes scopes, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Enum, byDefault, scopes, displayNameKey, descriptionKey, AllowedValues: allowed));

    public static Setting<string> Secret(string moduleId, string name, SettingScopes scopes, string displayNameKey, string? descriptionKey = null) =>
        new(new SettingDefinition(moduleId, name, SettingType.Secret, null, scopes, displayNameKey, descriptionKey));
}
