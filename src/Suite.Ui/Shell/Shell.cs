namespace Suite.Ui.Shell;

/// <summary>A theme: layouts and assets. Themes know the shell only through <see cref="IShellModel"/>.</summary>
public interface ITheme
{
    string Id { get; }
    Type PortalLayout { get; }
    IReadOnlyList<string> Stylesheets { get; }

    /// <summary>Whether a ministry's primary colour replaces the theme's (the State design system keeps its own).</summary>
    bool AllowsPrimaryColour { get; }
}

public sealed record ShellApp(string ModuleId, string Title, string? Description, string Href, string Icon);

public sealed record ShellDepartment(Guid Id, string Name);

/// <summary>Everything a theme's header and layout show, computed for the current user.</summary>
public sealed record ShellState(
    string BrandName,
    string? BrandShortName,
    string? LogoUrl,
    string? PrimaryColour,
    bool IsSignedIn,
    string? UserDisplayName,
    bool CanAdminister,
    IReadOnlyList<ShellDepartment> Departments,
    Guid? ActiveDepartmentId,
    IReadOnlyList<ShellApp> Apps,
    string Culture);

public interface IShellModel
{
    Task<ShellState> GetAsync(CancellationToken cancellationToken = default);
}

/// <summary>The themes this deployment ships, and the one chosen by the "platform.theme" setting.</summary>
public sealed class ThemeCatalog(IEnumerable<ITheme> themes)
{
    private readonly Dictionary<string, ITheme> _byId = themes.ToDictionary(t => t.Id, StringComparer.Ordinal);

    public ITheme Get(string? id) => id is not null && _byId.TryGetValue(id, out var theme) ? theme : _byId.Values.First();
}

/// <summary>The theme chosen for this request, resolved once before rendering so that the document root can
/// render synchronously (an async root component would render its first pass without a theme).</summary>
public sealed class ThemeSelection
{
    public ITheme? Current { get; set; }
}
