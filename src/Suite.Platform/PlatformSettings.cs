using Suite.Kernel.Settings;

namespace Suite.Platform;

/// <summary>The platform's own settings; their admin forms are generated from these definitions.</summary>
public static class PlatformSettings
{
    private const string Id = PlatformModule.Id;

    public static readonly Setting<string> Theme = Define.Enum(Id, "platform.theme", "dsfr", ["dsfr", "neutral"], SettingScopes.Global | SettingScopes.Tenant, "Setting.Theme");
    public static readonly Setting<string> BrandingName = Define.String(Id, "platform.branding-name", null, SettingScopes.Global | SettingScopes.Tenant, "Setting.BrandingName", "Setting.BrandingName.Help");
    public static readonly Setting<string> BrandingLogoUrl = Define.String(Id, "platform.branding-logo-url", null, SettingScopes.Global | SettingScopes.Tenant, "Setting.BrandingLogo", "Setting.BrandingLogo.Help");
    public static readonly Setting<string> BrandingColour = Define.Colour(Id, "platform.branding-colour", null, SettingScopes.Global | SettingScopes.Tenant, "Setting.BrandingColour", "Setting.BrandingColour.Help");
    public static readonly Setting<int> InvitationDays = Define.Int(Id, "platform.invitation-days", 7, SettingScopes.Global | SettingScopes.Tenant, "Setting.InvitationDays", 1, 60);
    public static readonly Setting<bool> RequireTwoFactor = Define.Bool(Id, "platform.require-two-factor", false, SettingScopes.Global | SettingScopes.Tenant, "Setting.RequireTwoFactor");
    public static readonly Setting<string> Language = Define.Enum(Id, "platform.language", "fr", ["fr", "en"], SettingScopes.All, "Setting.Language");
    public static readonly Setting<string> SmtpPassword = Define.Secret(Id, "platform.smtp-password", SettingScopes.Global, "Setting.SmtpPassword", "Setting.SmtpPassword.Help");
}
