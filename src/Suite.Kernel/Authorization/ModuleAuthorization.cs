using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Authorization;

public sealed record ModuleRequirement(string ModuleId) : IAuthorizationRequirement;

/// <summary>The one handler behind every "module:&lt;id&gt;" policy: signed in, and the module effective for the
/// user's active department right now (so switching a module off takes effect at the next navigation).</summary>
internal sealed class ModuleAuthorizationHandler(IModuleGate gate, ITenantContext tenant, ILogger<ModuleAuthorizationHandler> logger)
    : AuthorizationHandler<ModuleRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ModuleRequirement requirement)
    {
        if (context.User.Identity?.IsAuthenticated != true || tenant.UserId is null)
            return;
        if (await gate.IsEnabledAsync(requirement.ModuleId))
        {
            context.Succeed(requirement);
            return;
        }
        logger.LogWarning("User {User} of tenant {Tenant} refused module {Module}: not enabled for department {Department}",
            tenant.UserId, tenant.TenantId, requirement.ModuleId, tenant.ActiveDepartmentId);
    }
}

public interface IPermissionChecker
{
    bool IsGranted(string permission);
}

/// <summary>A permission is held by its minimum role and every higher admin level, within the user's own scope.</summary>
internal sealed class PermissionChecker(ModuleCatalog catalog, ITenantContext tenant) : IPermissionChecker
{
    public bool IsGranted(string permission)
    {
        if (tenant.UserId is null)
            return false;
        foreach (var module in catalog.Modules)
        {
            foreach (var definition in module.Permissions)
            {
                if (definition.Name == permission)
                    return tenant.Role >= definition.MinimumRole;
            }
        }
        return false;
    }
}
