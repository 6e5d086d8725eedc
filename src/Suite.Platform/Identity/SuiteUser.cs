using Microsoft.AspNetCore.Identity;
using Suite.Kernel.Data;

namespace Suite.Platform.Identity;

/// <summary>A person with an account. Sign-in happens before any ministry is known, so users are found across
/// ministries by Identity; every admin listing goes through <see cref="Admin.UserAdministration"/>, which filters by scope.</summary>
[CrossTenant("Sign-in resolves the user before the ministry is known; admin queries filter by the caller's scope.")]
public sealed class SuiteUser : IdentityUser<Guid>
{
    public required string DisplayName { get; set; }
    public Guid? TenantId { get; set; }
    public Guid? ActiveDepartmentId { get; set; }
    public bool IsPlatformAdministrator { get; set; }
    public bool IsMinistryAdministrator { get; set; }
    public bool IsActive { get; set; } = true;
    public string PreferredLanguage { get; set; } = "fr";
    public DateTimeOffset CreatedAt { get; set; }
}
