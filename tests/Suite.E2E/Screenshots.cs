using System.Reflection;
using Microsoft.Playwright;

namespace Suite.E2E;

/// <summary>Full-page PNGs of the important steps, in the test output folder (screenshots/) and copied to the
/// repository's git-ignored artifacts/screenshots/ so a person can look at them.</summary>
public static class Screenshots
{
    public static string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static string ArtifactsFolder { get; } = Path.Combine(Paths.RepositoryRoot, "artifacts", "screenshots");

    public static async Task<string> TakeAsync(IPage page, string scenario, string step)
    {
        var name = $"{scenario}-{step}.png";
        var path = Path.Combine(OutputFolder, name);
        Directory.CreateDirectory(OutputFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Directory.CreateDirectory(ArtifactsFolder);
        File.Copy(path, Path.Combine(ArtifactsFolder, name), overwrite: true);
        return path;
    }
}

public static class Paths
{
    /// <summary>tests/Suite.E2E in the source tree, recorded at build time.</summary>
    public static string ProjectDirectory { get; } = typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "Suite.E2E.ProjectDirectory").Value!;

    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(ProjectDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Suite.sln")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"Suite.sln not found above {ProjectDirectory}.");
    }
}
