using Suite.Ui.Shell;

namespace Suite.Theme.Neutral;

/// <summary>The same shell contract with a plain look, for deployments outside the French State.</summary>
public sealed class NeutralTheme : ITheme
{
    public string Id => "neutral";
    public Type PortalLayout => typeof(Layout.NeutralLayout);
    public IReadOnlyList<string> Stylesheets { get; } = ["_content/Suite.Theme.Neutral/neutral.css"];
    public bool AllowsPrimaryColour => true;
}
