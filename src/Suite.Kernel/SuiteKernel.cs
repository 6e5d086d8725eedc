using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Authorization;
using Suite.Kernel.Events;
using Suite.Kernel.Modules;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel;

/// <summary>Composition of the kernel: the host calls <see cref="AddSuiteKernel"/> with its explicit module list
/// and <see cref="MapSuiteModuleEndpoints"/> once the app is built.</summary>
public static class SuiteKernel
{
    public static ModuleCatalog AddSuiteKernel(this IServiceCollection services, IConfiguration configuration, IReadOnlyList<ISuiteModule> modules)
    {
        var (catalog, ordered) = ModuleCatalog.Create(modules, configuration);
        var settingNames = new HashSet<string>(StringComparer.Ordinal);
        var jobNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in ordered)
        {
            var builder = new ModuleBuilder(module.Manifest, services, configuration);
            module.Build(builder);
            var loaded = catalog.Find(module.Manifest.Id)!;
            loaded.Navigation = builder.Navigation.Items;
            loaded.Permissions = builder.Permissions.Definitions;
            loaded.Settings = builder.Settings.Definitions;
            loaded.Jobs = builder.Jobs.Definitions;
            loaded.EventSubscriptions = builder.Events.Subscriptions;
            loaded.Slots = builder.Slots.Contributions;
            loaded.PageAssemblies = builder.UiAssemblies;
            loaded.DbContexts = builder.DbContexts;
            loaded.ResourceType = builder.ResourceType;
            loaded.Endpoints = builder.Endpoints;
            foreach (var setting in loaded.Settings)
            {
                if (!settingNames.Add(setting.Name))
                    throw new ModuleConfigurationException($"The setting '{setting.Name}' is defined twice.");
            }
            foreach (var job in loaded.Jobs)
            {
                if (!jobNames.Add(job.Name))
                    throw new ModuleConfigurationException($"The job '{job.Name}' is defined twice.");
            }
        }

        services.AddSingleton(catalog);
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddSingleton<IEventBus, EventBus>();
        services.AddScoped<IPermissionChecker, PermissionChecker>();
        services.AddScoped<IAuthorizationHandler, ModuleAuthorizationHandler>();
        services.AddSingleton<SettingRegistry>();
        var authorization = services.AddAuthorizationBuilder();
        foreach (var module in catalog.Modules)
        {
            authorization.AddPolicy(module.Manifest.PolicyName, policy => policy
                .RequireAuthenticatedUser()
                .AddRequirements(new ModuleRequirement(module.Manifest.Id)));
        }
        return catalog;
    }

    /// <summary>Mounts each module's API at /api/&lt;id&gt;, gated by its policy.</summary>
    public static void MapSuiteModuleEndpoints(this IEndpointRouteBuilder app, ModuleCatalog catalog)
    {
        foreach (var module in catalog.Modules)
        {
            if (module.Endpoints.Count == 0)
                continue;
            var group = app.MapGroup("/api/" + module.Manifest.Id).RequireAuthorization(module.Manifest.PolicyName);
            foreach (var map in module.Endpoints)
                map(group);
        }
    }
}
