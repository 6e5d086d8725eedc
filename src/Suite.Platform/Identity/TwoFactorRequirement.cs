using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;

namespace Suite.Platform.Identity;

/// <summary>Where "platform.require-two-factor" holds for the user (their ministry, or the installation for platform
/// administrators), a signed-in user without a second factor reaches nothing but the page that sets one up and sign-out;
/// an API call is refused with 403.</summary>
internal sealed class TwoFactorRequirement(RequestDelegate next)
{
    public const string SetupPath = "/account/security";

    private static readonly string[] Allowed = [SetupPath, "/account/logout", "/account/culture", "/_blazor", "/_framework", "/_content", "/health", "/branding.css", "/status", "/error"];

    public async Task InvokeAsync(HttpContext http, ITenantContext me, ISettingProvider settings, UserManager<SuiteUser> users)
    {
        if (me.UserId is { } userId && !IsAllowed(http.Request.Path) && await settings.GetAsync(PlatformSettings.RequireTwoFactor, http.RequestAborted)
            && await users.FindByIdAsync(userId.ToString()) is { TwoFactorEnabled: false })
        {
            if (http.Request.Path.StartsWithSegments("/api"))
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
            else
                http.Response.Redirect(SetupPath + "?required=true");
            return;
        }
        await next(http);
    }

    private static bool IsAllowed(PathString path) =>
        Allowed.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) || Path.HasExtension(path.Value);
}
