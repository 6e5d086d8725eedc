using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;
using Suite.Platform.Identity;
using Suite.Platform.Tenancy;

namespace Suite.Platform;

/// <summary>Small form posts of the shell: sign out, switch active department, switch language. All antiforgery-checked.</summary>
public static class AccountEndpoints
{
    public static void MapPlatformAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The ministry's primary colour as a stylesheet (the CSP forbids inline styles). The colour is in the URL so the
        // answer depends on nothing else and can be cached; only "#rrggbb" is accepted, so nothing else reaches the CSS.
        app.MapGet("/branding.css", (string? c, HttpContext http) =>
        {
            if (Shell.BrandingStylesheet.For(c) is not { } css)
                return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=86400";
            return Results.Text(css, "text/css; charset=utf-8");
        });

        var account = app.MapGroup("/account");
        account.MapPost("/logout", async (SignInManager<SuiteUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).RequireAuthorization();

        account.MapPost("/department", async ([FromForm] Guid departmentId, [FromForm] string? returnUrl, ITenantContext me,
            IDbContextFactory<PlatformDbContext> contexts, UserScopeLoader scopes) =>
        {
            if (me.UserId is not { } userId || !me.DepartmentIds.Contains(departmentId))
                return Results.NotFound();
            await using var db = await contexts.CreateDbContextAsync();
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ActiveDepartmentId, departmentId));
            scopes.Evict(userId);
            return Results.LocalRedirect(Local(returnUrl));
        }).RequireAuthorization();

        account.MapPost("/culture", ([FromForm] string culture, [FromForm] string? returnUrl, HttpContext http) =>
        {
            if (culture is not ("fr" or "en"))
                return Results.BadRequest();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
            return Results.LocalRedirect(Local(returnUrl));
        });
    }

    private static string Local(string? url) => Pages.Account.Login.SafeReturnUrl(url);
}
