using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel;
using Suite.Kernel.Data;
using Suite.Kernel.Modules;
using Suite.Platform;
using Suite.Ui.Shell;
using Suite.Web.Components;

namespace Suite.Web;

/// <summary>The one composition root: the explicit module list, the database provider, security and the pipeline.</summary>
public static class SuiteHost
{
    /// <summary>The modules this build ships, listed explicitly (no scanning).</summary>
    public static IReadOnlyList<ISuiteModule> Modules() => [new PlatformModule(), new Suite.Meetings.MeetingsModule(), new Suite.Mail.MailModule()];

    public static async Task<int> RunAsync(string[] args, IReadOnlyList<ISuiteModule> modules)
    {
        WebApplication app;
        try
        {
            app = Build(args, modules);
        }
        catch (ModuleConfigurationException error)
        {
            await Console.Error.WriteLineAsync("Suite cannot start: " + error.Message);
            return 2;
        }
        if (!await DatabaseStartup.MigrateAsync(app.Services, app.Logger))
            return 3;
        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(string[] args, IReadOnlyList<ISuiteModule> modules, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(SuiteHost).Assembly.GetName().Name });
        configure?.Invoke(builder);
        var dataDirectory = Path.GetFullPath(builder.Configuration["Suite:DataDirectory"] ?? "data", builder.Environment.ContentRootPath);
        Directory.CreateDirectory(dataDirectory);
        builder.Configuration["Suite:DataDirectory"] = dataDirectory;

        builder.Services.AddSingleton(new ModuleDatabase(builder.Configuration, dataDirectory, ConfigureProvider));
        var catalog = builder.Services.AddSuiteKernel(builder.Configuration, modules);

        builder.Services.AddSingleton<ITheme, Suite.Theme.Dsfr.DsfrTheme>();
        builder.Services.AddSingleton<ITheme, Suite.Theme.Neutral.NeutralTheme>();
        builder.Services.AddSingleton<ThemeCatalog>();
        builder.Services.AddScoped<ThemeSelection>();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddAuthentication(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme)
            .AddCookie(Microsoft.AspNetCore.Identity.IdentityConstants.ApplicationScheme, options =>
            {
                options.LoginPath = "/account/login";
                options.AccessDeniedPath = "/account/denied";
                options.Cookie.Name = "suite.auth";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(10);
                options.Events.OnValidatePrincipal = Microsoft.AspNetCore.Identity.SecurityStampValidator.ValidatePrincipalAsync;
                // A refusal is a 403 at the URL asked for (rendered by the status page), not a redirect; APIs get 401/403 without HTML.
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToLogin = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api"))
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else
                        context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddCookie(Microsoft.AspNetCore.Identity.IdentityConstants.TwoFactorUserIdScheme, options => options.Cookie.Name = "suite.2fa")
            .AddCookie(Microsoft.AspNetCore.Identity.IdentityConstants.ExternalScheme);
        builder.Services.AddAntiforgery(options => options.Cookie.Name = "suite.af");
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = SignInRateLimit.Create(builder.Configuration.GetValue("Suite:RateLimits:SignInPerMinute", 10));
        });
        builder.Services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = new[] { new CultureInfo("fr"), new CultureInfo("en") };
            options.DefaultRequestCulture = new RequestCulture("fr");
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });

        var app = builder.Build();
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/status/{0}");
        app.UseMiddleware<SecurityHeaders>();
        app.UseRequestLocalization();
        app.MapStaticAssets();
        app.UseAuthentication();
        app.UseMiddleware<Suite.Platform.Tenancy.TenantScopeMiddleware>();
        app.UseMiddleware<Suite.Platform.Identity.TwoFactorRequirement>();
        app.UseMiddleware<ThemeMiddleware>();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health");
        app.MapPlatformAccountEndpoints();
        app.MapSuiteModuleEndpoints(catalog);
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .AddAdditionalAssemblies([.. catalog.Modules.SelectMany(m => m.PageAssemblies).Distinct()]);
        return app;
    }

    private static void ConfigureProvider(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, string moduleId)
    {
        if (provider == DatabaseProvider.Sqlite)
            options.UseSqlite(connectionString);
        else
            options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory", moduleId));
    }
}
