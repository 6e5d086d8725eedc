using System.Threading.RateLimiting;

namespace Suite.Web;

/// <summary>Strict Content-Security-Policy (no inline script or style, nothing from other origins) and the usual
/// hardening headers on every response.</summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(self), microphone=(self), display-capture=(self), geolocation=()";
        return next(context);
    }
}

/// <summary>Limits sign-in and first-run attempts per client address; everything else is not limited here.</summary>
internal static class SignInRateLimit
{
    public static PartitionedRateLimiter<HttpContext> Create(int perMinute) =>
        PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var path = context.Request.Path;
            var limited = HttpMethods.IsPost(context.Request.Method)
                && (path.StartsWithSegments("/account/login") || path.StartsWithSegments("/account/login-2fa") || path.StartsWithSegments("/setup") || path.StartsWithSegments("/account/invitation")
                || path.StartsWithSegments("/account/forgot") || path.StartsWithSegments("/account/reset"));
            if (!limited)
                return RateLimitPartition.GetNoLimiter("none");
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter("signin:" + client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = perMinute,
                Window = TimeSpan.FromMinutes(1),
                QueueLimit = 0,
            });
        });
}

/// <summary>Before a page renders, resolves the theme and the shell (header, tiles) for the current user, so that
/// the document root and the layouts render in one synchronous pass — also when a status page is re-executed.</summary>
internal sealed class ThemeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context, Suite.Ui.Shell.ThemeSelection selection, Suite.Ui.Shell.ThemeCatalog themes,
        Suite.Kernel.Settings.ISettingProvider settings, Suite.Ui.Shell.IShellModel shell)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)
        {
            selection.Current ??= themes.Get(await settings.GetAsync(Suite.Platform.PlatformSettings.Theme, context.RequestAborted));
            await shell.GetAsync(context.RequestAborted);
        }
        await next(context);
    }
}
