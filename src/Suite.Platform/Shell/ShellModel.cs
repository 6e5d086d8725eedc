using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Suite.Kernel.Authorization;
using Suite.Kernel.Modules;
using Suite.Kernel.Navigation;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;
using Suite.Ui.Shell;

namespace Suite.Platform.Shell;

/// <summary>Computes the header and the portal tiles for the current user: only modules effective for the
/// active department appear, with their titles in the user's language.</summary>
internal sealed class ShellModel(
    ITenantContext me,
    IModuleGate gate,
    ModuleCatalog catalog,
    IPermissionChecker permissions,
    ISettingProvider settings,
    IDbContextFactory<PlatformDbContext> contexts,
    IStringLocalizerFactory localizers) : IShellModel
{
    private ShellState? _state;

    public async Task<ShellState> GetAsync(CancellationToken cancellationToken = default)
    {
        if (_state is not null)
            return _state;
        var culture = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var brand = await settings.GetAsync(PlatformSettings.BrandingName, cancellationToken);
        if (me.UserId is null)
            return _state = new ShellState(brand.Length > 0 ? brand : "Suite", null,
                NullIfEmpty(await settings.GetAsync(PlatformSettings.BrandingLogoUrl, cancellationToken)),
                NullIfEmpty(await settings.GetAsync(PlatformSettings.BrandingColour, cancellationToken)), false, null, false, [], null, [], culture);

        string? shortName = null;
        var departments = new List<ShellDepartment>();
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            if (me.TenantId is { } tenantId)
            {
                var tenant = await db.Tenants.AsNoTracking().FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
                if (brand.Length == 0) brand = tenant?.Name ?? "";
                shortName = tenant?.ShortName;
                var ids = me.DepartmentIds.ToList();
                departments = await db.Departments.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.Name)
                    .Select(d => new ShellDepartment(d.Id, d.Name)).ToListAsync(cancellationToken);
            }
        }
        var enabled = await gate.EnabledModulesAsync(cancellationToken);
        var apps = new List<ShellApp>();
        foreach (var module in catalog.Modules.Where(m => enabled.Contains(m.Manifest.Id)))
        {
            var text = module.ResourceType is { } resources ? localizers.Create(resources) : null;
            foreach (var item in module.Navigation.Where(n => n.Area == NavigationArea.Portal))
            {
                if (item.Permission is { } permission && !permissions.IsGranted(permission))
                    continue;
                apps.Add(new ShellApp(module.Manifest.Id, text?[item.TitleKey] ?? item.TitleKey,
                    item.DescriptionKey is { } d ? text?[d] ?? d : null, item.Href, item.Icon));
            }
        }
        return _state = new ShellState(
            brand.Length > 0 ? brand : "Suite",
            shortName,
            NullIfEmpty(await settings.GetAsync(PlatformSettings.BrandingLogoUrl, cancellationToken)),
            NullIfEmpty(await settings.GetAsync(PlatformSettings.BrandingColour, cancellationToken)),
            true,
            me.DisplayName,
            me.Role >= SuiteRole.DepartmentAdministrator,
            departments,
            me.ActiveDepartmentId,
            apps,
            culture);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
