namespace Suite.Kernel.Settings;

public enum SettingType
{
    Bool,
    Int,
    String,
    Enum,
    /// <summary>Stored encrypted with ASP.NET Data Protection, never shown back in forms.</summary>
    Secret,
    /// <summary>"#rrggbb": safe to put in a stylesheet.</summary>
    Colour,
}

/// <summary>Where a value may be set. Resolution walks User → Department → Tenant → Global → configuration → default.</summary>
[Flags]
public enum SettingScopes
{
    None = 0,
    Global = 1,
    Tenant = 2,
    Department = 4,
    User = 8,
    AllButUser = Global | Tenant | Department,
    All = Global | Tenant | Department | User,
}

public enum SettingScope
{
    Global = 1,
    Tenant = 2,
    Department = 4,
    User = 8,
}

/// <summary>A feature is a boolean setting that switches part of a module on or off.</summary>
public enum SettingKind
{
    Setting,
    Feature,
}

public sealed record SettingDefinition(
    string ModuleId,
    string Name,
    SettingType Type,
    string? DefaultValue,
    SettingScopes Scopes,
    string DisplayNameKey,
    string? DescriptionKey = null,
    IReadOnlyList<string>? AllowedValues = null,
    int? Minimum = null,
    int? Maximum = null,
    SettingKind Kind = SettingKind.Setting)
{
    /// <summary>Checks a raw value typed by an administrator; returns an error resource key or null.</summary>
    public string? Validate(string? raw)
    {
        if (string.IsNullOrEmpty(raw))
            return null;
        switch (Type)
        {
            case SettingType.Bool:
                return bool.TryParse(raw, out _) ? null : "Setting.Error.Bool";
            case SettingType.Int:
                if (!int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number))
                    return "Setting.Error.Int";
                if (Minimum is { } min && number < min) return "Setting.Error.Minimum";
                if (Maximum is { } max && number > max) return "Setting.Error.Maximum";
                return null;
            case SettingType.Colour:
                return raw.Length == 7 && raw[0] == '#' && raw.AsSpan(1).ContainsAnyExcept("0123456789abcdefABCDEF") == false ? null : "Setting.Error.Colour";
            case SettingType.Enum:
                return AllowedValues is not null && AllowedValues.Contains(raw, StringComparer.Ordinal) ? null : "Setting.Error.Enum";
            default:
                return raw.Length <= 4000 ? null : "Setting.Error.TooLong";
        }
    }
}

/// <summary>A typed handle to a setting definition, declared in a module's Contracts.</summary>
public sealed record Setting<T>(SettingDefinition Definition)
{
    public string Name => Definition.Name;
}
