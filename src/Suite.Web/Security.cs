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
                && (path.StartsWithSegments("/account/login") || path.StartsWithSegments("/setup") || path.StartsWithSegments("/account/invitation"));
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
