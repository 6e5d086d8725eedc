using Suite.Ui.Shell;

namespace Suite.Theme.Dsfr;

/// <summary>The default theme: the French State design system (DSFR), bundled from npm at build time.</summary>
public sealed class DsfrTheme : ITheme
{
    public string Id => "dsfr";
    public Type PortalLayout => typeof(Layout.DsfrLayout);
    public IReadOnlyList<string> Stylesheets { get; } =
        ["_content/Suite.Theme.Dsfr/dsfr/dsfr.min.css", "_content/Suite.Theme.Dsfr/dsfr/utility/icons/icons.min.css", "_content/Suite.Theme.Dsfr/theme.css"];

    /// <summary>The State's identity (Marianne, blue France) is not a ministry's to change.</summary>
    public bool AllowsPrimaryColour => false;
}
