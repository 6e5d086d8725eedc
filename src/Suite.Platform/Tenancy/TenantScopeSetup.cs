using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Http;
using Suite.Kernel.Tenancy;

namespace Suite.Platform.Tenancy;

/// <summary>Sets the request's tenant scope from the signed-in user. A deactivated or deleted user gets no scope
/// (and so no data), and the cookie is dropped.</summary>
internal sealed class TenantScopeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http, TenantContext tenant, UserScopeLoader loader)
    {
        if (UserIdOf(http.User) is { } userId)
        {
            var scope = await loader.LoadAsync(userId, http.RequestAborted);
            if (scope is null)
            {
                await Microsoft.AspNetCore.Authentication.AuthenticationHttpContextExtensions.SignOutAsync(http, Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme);
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
            }
            else
            {
                tenant.Set(scope);
            }
        }
        await next(http);
    }

    public static Guid? UserIdOf(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}

/// <summary>A Blazor circuit has its own service scope: give it the same tenant scope when it opens.</summary>
internal sealed class TenantCircuitHandler(AuthenticationStateProvider authentication, TenantContext tenant, UserScopeLoader loader) : CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        if (TenantScopeMiddleware.UserIdOf(state.User) is { } userId && await loader.LoadAsync(userId, cancellationToken) is { } scope)
            tenant.Set(scope);
    }
}
