namespace Suite.Kernel.Navigation;

/// <param name="TitleKey">Resource key of the title (looked up in the module's resources by the shell).</param>
/// <param name="Href">Relative URL, e.g. "/meetings".</param>
/// <param name="Icon">An icon name from the theme's icon set.</param>
/// <param name="Permission">Permission required to see the item, or null for every member.</param>
/// <param name="DescriptionKey">Short description shown on the portal tile.</param>
public sealed record NavigationItem(string ModuleId, string TitleKey, string Href, string Icon, string? Permission, string? DescriptionKey, NavigationArea Area);

public enum NavigationArea
{
    /// <summary>A tile on the portal home and an entry in the app switcher.</summary>
    Portal,
    /// <summary>An entry in the administration menu.</summary>
    Admin,
}

public sealed class NavigationBuilder(string moduleId)
{
    private readonly List<NavigationItem> _items = [];

    public IReadOnlyList<NavigationItem> Items => _items;

    public NavigationBuilder Item(string titleKey, string href, string icon, string? permission = null, string? descriptionKey = null)
    {
        _items.Add(new NavigationItem(moduleId, titleKey, href, icon, permission, descriptionKey, NavigationArea.Portal));
        return this;
    }

    public NavigationBuilder AdminItem(string titleKey, string href, string icon, string? permission = null)
    {
        _items.Add(new NavigationItem(moduleId, titleKey, href, icon, permission, null, NavigationArea.Admin));
        return this;
    }
}
