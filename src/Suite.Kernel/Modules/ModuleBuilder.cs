using System.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Authorization;
using Suite.Kernel.Data;
using Suite.Kernel.Events;
using Suite.Kernel.Jobs;
using Suite.Kernel.Navigation;
using Suite.Kernel.Settings;

namespace Suite.Kernel.Modules;

/// <summary>What a module hands to the kernel while it builds. Everything it registers stays tied to its id,
/// so the kernel can gate it by enablement.</summary>
public sealed class ModuleBuilder
{
    private readonly List<Action<IEndpointRouteBuilder>> _endpoints = [];
    private readonly List<Type> _dbContexts = [];
    private readonly List<Assembly> _uiAssemblies = [];

    internal ModuleBuilder(ModuleManifest manifest, IServiceCollection services, IConfiguration configuration)
    {
        Manifest = manifest;
        Services = services;
        Configuration = configuration;
        Navigation = new NavigationBuilder(manifest.Id);
        Permissions = new PermissionBuilder(manifest.Id);
        Settings = new SettingBuilder(manifest.Id);
        Features = new FeatureBuilder(Settings);
        Jobs = new JobBuilder(manifest.Id, services);
        Events = new EventBuilder(manifest.Id, services);
        Slots = new SlotBuilder(manifest.Id);
    }

    public ModuleManifest Manifest { get; }
    public IServiceCollection Services { get; }
    public IConfiguration Configuration { get; }
    public NavigationBuilder Navigation { get; }
    public PermissionBuilder Permissions { get; }
    public SettingBuilder Settings { get; }
    public FeatureBuilder Features { get; }
    public JobBuilder Jobs { get; }
    public EventBuilder Events { get; }
    public SlotBuilder Slots { get; }

    internal IReadOnlyList<Action<IEndpointRouteBuilder>> Endpoints => _endpoints;
    internal IReadOnlyList<Type> DbContexts => _dbContexts;
    internal IReadOnlyList<Assembly> UiAssemblies => _uiAssemblies;

    /// <summary>Registers the module's DbContext: schema = module id, own migrations history, connection string
    /// "ConnectionStrings:&lt;id&gt;" falling back to "Default" (see <see cref="ModuleDatabase"/>).</summary>
    public void UseDbContext<TContext>() where TContext : DbContext
    {
        _dbContexts.Add(typeof(TContext));
        var moduleId = Manifest.Id;
        Services.AddDbContextFactory<TContext>(
            (sp, options) => sp.GetRequiredService<ModuleDatabase>().Configure(options, moduleId),
            ServiceLifetime.Scoped);
        Services.AddSingleton(new ModuleDbContextRegistration(moduleId, typeof(TContext)));
    }

    /// <summary>API endpoints, mounted at /api/&lt;id&gt; and gated by the module's policy.</summary>
    public void MapEndpoints(Action<IEndpointRouteBuilder> map) => _endpoints.Add(map);

    /// <summary>The marker type of the module's .resx files (titles, setting labels).</summary>
    public void UseResources<TResources>() => ResourceType = typeof(TResources);

    internal Type? ResourceType { get; private set; }

    /// <summary>An assembly holding routable Razor pages of this module (handed to the router).</summary>
    public void AddPages(Assembly assembly) => _uiAssemblies.Add(assembly);
}

public sealed record ModuleDbContextRegistration(string ModuleId, Type ContextType);
