using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Authorization;
using Suite.Kernel.Jobs;
using Suite.Kernel.Modules;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Kernel.Tests.Support;

namespace Suite.Kernel.Tests.Modules;

public sealed class SuiteKernelTests
{
    private sealed class CloseIdleRooms : ISuiteJob
    {
        public Task ExecuteAsync(JobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class PurgeRecordings : ISuiteJob
    {
        public Task ExecuteAsync(JobContext context, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private static (ModuleCatalog Catalog, ServiceProvider Provider) Build(IReadOnlyList<ISuiteModule> modules, Microsoft.Extensions.Configuration.IConfiguration? configuration = null, Action<IServiceCollection>? more = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var catalog = services.AddSuiteKernel(configuration ?? TestConfiguration.Empty(), modules);
        more?.Invoke(services);
        return (catalog, services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
    }

    [Fact]
    public async Task One_module_policy_is_registered_per_available_module()
    {
        var modules = new ISuiteModule[]
        {
            new TestModule("platform", alwaysOn: true),
            new TestModule("chat", ["platform"]),
            new TestModule("meetings", ["chat"]),
            new TestModule("mail", ["platform"]),
        };
        var (_, provider) = Build(modules, TestConfiguration.Unavailable("chat"));
        await using var _ = provider;
        var policies = provider.GetRequiredService<IAuthorizationPolicyProvider>();

        foreach (var id in new[] { "platform", "mail" })
        {
            var policy = await policies.GetPolicyAsync("module:" + id);
            Assert.NotNull(policy);
            Assert.Contains(policy.Requirements, r => r is DenyAnonymousAuthorizationRequirement);
            Assert.Equal(id, Assert.Single(policy.Requirements.OfType<ModuleRequirement>()).ModuleId);
        }
        foreach (var id in new[] { "chat", "meetings", "unknown" })
            Assert.Null(await policies.GetPolicyAsync("module:" + id));
    }

    [Fact]
    public void The_policy_name_of_a_module_is_module_colon_id()
    {
        Assert.Equal("module:meetings", new ModuleManifest("meetings", "Visio", []).PolicyName);
        Assert.Equal("module:chat", ModulePolicies.For("chat"));
    }

    [Fact]
    public async Task A_module_policy_succeeds_only_for_a_signed_in_user_whose_gate_enables_the_module()
    {
        var tenant = Guid.NewGuid();
        var enabled = new EnabledModules().Enable(tenant, "mail");
        var (_, provider) = Build(
            [new TestModule("platform", alwaysOn: true), new TestModule("mail"), new TestModule("chat")],
            more: services => services.AddScoped<IModuleGate>(sp => new FakeModuleGate(enabled, sp.GetRequiredService<ITenantContext>())));
        await using var _ = provider;
        var signedIn = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "ada")], "test"));
        var anonymous = new ClaimsPrincipal(new ClaimsIdentity());

        async Task<bool> Authorize(ClaimsPrincipal user, string moduleId, bool withUser = true)
        {
            await using var scope = provider.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(
                new TenantScope(withUser ? Guid.NewGuid() : null, tenant, null, [], SuiteRole.Member, []));
            var authorization = scope.ServiceProvider.GetRequiredService<IAuthorizationService>();
            return (await authorization.AuthorizeAsync(user, null, ModulePolicies.For(moduleId))).Succeeded;
        }

        Assert.True(await Authorize(signedIn, "mail"));
        Assert.False(await Authorize(signedIn, "chat"));
        Assert.False(await Authorize(anonymous, "mail"));
        Assert.False(await Authorize(signedIn, "mail", withUser: false));
    }

    [Fact]
    public void Modules_are_built_in_dependency_order_and_unavailable_ones_are_not_built()
    {
        var built = new List<string>();
        var unavailable = new TestModule("chat", build: _ => built.Add("chat"));
        var modules = new ISuiteModule[]
        {
            new TestModule("meetings", ["mail"], build: _ => built.Add("meetings")),
            new TestModule("mail", build: _ => built.Add("mail")),
            unavailable,
        };

        Build(modules, TestConfiguration.Unavailable("chat")).Provider.Dispose();

        Assert.Equal(["mail", "meetings"], built);
        Assert.Equal(0, unavailable.BuildCount);
    }

    [Fact]
    public void What_a_module_registers_is_kept_on_its_loaded_module()
    {
        var maxParticipants = Define.Int("meetings", "meetings.max-participants", 50, SettingScopes.All, "Max");
        var recording = Define.Feature("meetings", "meetings.recording", false, "Recording");
        var (catalog, provider) = Build([new TestModule("meetings", build: m =>
        {
            m.Settings.Add(maxParticipants);
            m.Features.Toggle(recording);
            m.Permissions.Define("meetings.host", SuiteRole.DepartmentAdministrator);
            m.Navigation.Item("Visio", "/meetings", "video");
        })]);
        using var _ = provider;

        var meetings = catalog.Find("meetings")!;
        Assert.Equal(["meetings.max-participants", "meetings.recording"], meetings.Settings.Select(s => s.Name));
        Assert.Equal(new PermissionDefinition("meetings", "meetings.host", SuiteRole.DepartmentAdministrator), Assert.Single(meetings.Permissions));
        Assert.Equal("/meetings", Assert.Single(meetings.Navigation).Href);
        Assert.Equal(2, provider.GetRequiredService<SettingRegistry>().ForModule("meetings").Count());
    }

    [Fact]
    public void A_setting_defined_twice_is_refused()
    {
        var maxParticipants = Define.Int("meetings", "meetings.max-participants", 50, SettingScopes.All, "Max");

        var error = Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m =>
        {
            m.Settings.Add(maxParticipants);
            m.Settings.Add(maxParticipants);
        })]));

        Assert.Contains("meetings.max-participants", error.Message);
    }

    [Fact]
    public void A_feature_and_a_setting_cannot_share_a_name()
    {
        Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m =>
        {
            m.Settings.Add(Define.Bool("meetings", "meetings.recording", false, SettingScopes.All, "Recording"));
            m.Features.Toggle(Define.Feature("meetings", "meetings.recording", false, "Recording"));
        })]));
    }

    [Fact]
    public void A_module_cannot_define_a_setting_in_another_module_namespace()
    {
        var chatSetting = Define.Bool("chat", "chat.history", true, SettingScopes.All, "History");

        var error = Assert.Throws<ModuleConfigurationException>(() => Build(
        [
            new TestModule("chat", build: m => m.Settings.Add(chatSetting)),
            new TestModule("meetings", build: m => m.Settings.Add(chatSetting)),
        ]));

        Assert.Contains("chat.history", error.Message);
    }

    [Fact]
    public void Jobs_are_named_after_their_module_and_type_and_registered_scoped()
    {
        var (catalog, provider) = Build([new TestModule("meetings", build: m =>
        {
            m.Jobs.Recurring<CloseIdleRooms>(TimeSpan.FromMinutes(5), perTenant: true);
            m.Jobs.OnDemand<PurgeRecordings>(maxAttempts: 0);
        })]);
        using var _ = provider;

        var jobs = catalog.Find("meetings")!.Jobs;
        Assert.Equal(
            [
                new JobDefinition("meetings", "meetings.CloseIdleRooms", typeof(CloseIdleRooms), TimeSpan.FromMinutes(5), true, 3),
                new JobDefinition("meetings", "meetings.PurgeRecordings", typeof(PurgeRecordings), null, false, 1),
            ],
            jobs);
        using var scope = provider.CreateScope();
        Assert.NotNull(scope.ServiceProvider.GetService<CloseIdleRooms>());
        Assert.Equal("chat.CloseIdleRooms", JobBuilder.JobName("chat", typeof(CloseIdleRooms)));
    }

    [Fact]
    public void The_same_job_registered_twice_is_refused()
    {
        var error = Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m =>
        {
            m.Jobs.Recurring<CloseIdleRooms>(TimeSpan.FromMinutes(5), perTenant: true);
            m.Jobs.OnDemand<CloseIdleRooms>();
        })]));

        Assert.Contains("meetings.CloseIdleRooms", error.Message);
    }

    [Fact]
    public void The_same_job_type_in_two_modules_gets_two_names()
    {
        var (catalog, provider) = Build(
        [
            new TestModule("meetings", build: m => m.Jobs.OnDemand<CloseIdleRooms>()),
            new TestModule("chat", build: m => m.Jobs.OnDemand<CloseIdleRooms>()),
        ]);
        using var _ = provider;

        Assert.Equal("meetings.CloseIdleRooms", Assert.Single(catalog.Find("meetings")!.Jobs).Name);
        Assert.Equal("chat.CloseIdleRooms", Assert.Single(catalog.Find("chat")!.Jobs).Name);
    }

    [Fact]
    public void A_recurring_job_more_frequent_than_every_second_is_refused()
    {
        Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m =>
            m.Jobs.Recurring<CloseIdleRooms>(TimeSpan.FromMilliseconds(500), perTenant: false))]));
    }

    [Fact]
    public void A_permission_must_be_qualified_by_its_module()
    {
        Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m => m.Permissions.Define("host"))]));
        Assert.Throws<ModuleConfigurationException>(() => Build([new TestModule("meetings", build: m => m.Permissions.Define("chat.host"))]));
    }
}
