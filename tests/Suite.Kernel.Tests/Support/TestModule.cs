using Microsoft.Extensions.Configuration;
using Suite.Kernel.Modules;

namespace Suite.Kernel.Tests.Support;

/// <summary>A module declared inline by a test: a manifest and what it registers.</summary>
internal sealed class TestModule(string id, string[]? requires = null, bool alwaysOn = false, Action<ModuleBuilder>? build = null) : ISuiteModule
{
    public ModuleManifest Manifest { get; } = new(id, id, requires ?? [], alwaysOn);

    public int BuildCount { get; private set; }

    public void Build(ModuleBuilder module)
    {
        BuildCount++;
        build?.Invoke(module);
    }
}

internal static class TestConfiguration
{
    public static IConfiguration Empty() => new ConfigurationBuilder().Build();

    public static IConfiguration With(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();

    public static IConfiguration Unavailable(params string[] moduleIds) =>
        With([.. moduleIds.Select(id => ($"Suite:Modules:{id}:Available", (string?)"false"))]);
}
