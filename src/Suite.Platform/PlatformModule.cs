using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Suite.Kernel.Authorization;
using Suite.Kernel.Email;
using Suite.Kernel.Modules;
using Suite.Kernel.Settings;
using Suite.Platform.Admin;
using Suite.Platform.Audit;
using Suite.Platform.Data;
using Suite.Platform.Email;
using Suite.Platform.Features.Departments;
using Suite.Platform.Features.Ministries;
using Suite.Platform.Features.ModuleSwitches;
using Suite.Platform.Features.Notifications;
using Suite.Platform.Features.Settings;
using Suite.Platform.Features.Setup;
using Suite.Platform.Features.Users;
using Suite.Platform.Identity;
using Suite.Platform.Jobs;
using Suite.Platform.Modules;
using Suite.Platform.Settings;
using Suite.Platform.Shell;
using Suite.Platform.Tenancy;
using Suite.Ui.Shell;

namespace Suite.Platform;

/// <summary>The platform itself: ministries, departments, users, module switches, settings, audit. Always on.</summary>
public sealed class PlatformModule : ISuiteModule
{
    public const string Id = "platform";

    public ModuleManifest Manifest { get; } = new(Id, "Platform", [], AlwaysOn: true);

    public void Build(ModuleBuilder m)
    {
        m.UseDbContext<PlatformDbContext>();
        m.AddPages(typeof(PlatformModule).Assembly);
        m.UseResources<PlatformText>();
        m.Navigation.AdminItem("Admin.Title", "/admin", "settings", PlatformPermissions.Administration);
        m.Permissions.Define(PlatformPermissions.Administration, SuiteRole.DepartmentAdministrator);
        m.Settings.Add(PlatformSettings.Theme).Add(PlatformSettings.BrandingName).Add(PlatformSettings.BrandingLogoUrl)
            .Add(PlatformSettings.BrandingColour).Add(PlatformSettings.InvitationDays).Add(PlatformSettings.RequireTwoFactor)
            .Add(PlatformSettings.Language).Add(PlatformSettings.SmtpPassword);

        var services = m.Services;
        services.AddMemoryCache();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SetupState>();
        services.AddScoped<UserScopeLoader>();
        services.AddScoped<ModuleSwitchReader>();
        services.AddScoped<ModuleSwitchCacheEviction>();
        services.AddScoped<IModuleGate, ModuleGate>();
        services.AddScoped<AdminScope>();
        services.AddScoped<AuditLog>();
        services.AddScoped<SettingStore>();
        services.AddScoped<ISettingProvider, SettingProvider>();
        services.AddScoped<SettingAdministration>();
        services.AddScoped<MinistryAdministration>();
        services.AddScoped<DepartmentAdministration>();
        services.AddScoped<UserAdministration>();
        services.AddScoped<Invitations>();
        services.AddScoped<PasswordReset>();
        services.AddScoped<CsvImport>();
        services.AddSingleton<ImportUploads>();
        services.AddScoped<ModuleAdministration>();
        services.AddScoped<ModuleNames>();
        services.AddScoped<FirstRunSetup>();
        services.AddScoped<IShellModel, ShellModel>();
        services.AddSingleton<NotificationSignals>();
        services.AddScoped<NotificationStore>();
        services.AddScoped<Suite.Kernel.Notifications.INotifier>(sp => sp.GetRequiredService<NotificationStore>());
        services.AddScoped<Suite.Kernel.People.IPeopleDirectory, PeopleDirectory>();
        m.Slots.Contribute<NotificationBell>(ShellSlots.HeaderNotifications);
        services.AddScoped<CircuitHandler, TenantCircuitHandler>();
        // Presence: a person is present while one of their circuits is connected, and for a grace period after.
        var presenceGrace = m.Configuration.GetValue("Suite:Presence:Grace", TimeSpan.FromMinutes(2));
        services.AddSingleton(sp => new Features.Presence.PresenceTracker(
            sp.GetServices<Suite.Kernel.Presence.IPresenceListener>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<Features.Presence.PresenceTracker>>()) { Grace = presenceGrace });
        services.AddSingleton<Suite.Kernel.Presence.IUserPresence>(sp => sp.GetRequiredService<Features.Presence.PresenceTracker>());
        services.AddScoped<CircuitHandler, Features.Presence.PresenceCircuitHandler>();
        JobScheduling.Add(services, m.Configuration);

        var dataProtection = services.AddDataProtection().SetApplicationName("Suite");
        // The key ring lives in the database; a certificate (PKCS#12, its password from the environment) encrypts it at rest.
        if (m.Configuration["Suite:DataProtection:CertificatePath"] is { Length: > 0 } certificatePath)
            dataProtection.ProtectKeysWithCertificate(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(
                certificatePath, m.Configuration["Suite:DataProtection:CertificatePassword"]));
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DatabaseXmlRepository(sp.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceScopeFactory>())));

        services.AddIdentityCore<SuiteUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 12;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = true;
                options.Password.RequireLowercase = true;
                options.Password.RequireDigit = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<PlatformDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();
        // Identity's stores want a DbContext from the container; give them a scoped one from the module factory.
        services.AddScoped(sp => sp.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<PlatformDbContext>>().CreateDbContext());

        var outbox = m.Configuration["Suite:Email:Folder"];
        if (m.Configuration["Suite:Email:Smtp:Host"] is { Length: > 0 })
            services.AddScoped<IEmailSender, SmtpEmailSender>();
        else
            services.AddSingleton<IEmailSender>(sp => new FolderEmailSender(
                outbox ?? Path.Combine(sp.GetRequiredService<IConfiguration>()["Suite:DataDirectory"] ?? "data", "outbox"),
                sp.GetRequiredService<ILogger<FolderEmailSender>>()));
    }
}

public static class PlatformPermissions
{
    public const string Administration = "platform.administration";
}
