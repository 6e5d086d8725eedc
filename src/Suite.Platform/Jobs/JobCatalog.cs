using Suite.Kernel.Jobs;
using Suite.Kernel.Modules;

namespace Suite.Platform.Jobs;

/// <summary>Every job the loaded modules declared, by its stable name.</summary>
internal sealed class JobCatalog(ModuleCatalog modules)
{
    private readonly Dictionary<string, (JobDefinition Definition, bool AlwaysOn)> _byName = modules.Modules
        .SelectMany(m => m.Jobs.Select(j => (j, m.Manifest.AlwaysOn)))
        .ToDictionary(x => x.j.Name, x => (x.j, x.AlwaysOn), StringComparer.Ordinal);

    public IEnumerable<JobDefinition> All => _byName.Values.Select(v => v.Definition).OrderBy(d => d.Name, StringComparer.Ordinal);

    public JobDefinition? Find(string name) => _byName.TryGetValue(name, out var entry) ? entry.Definition : null;

    public bool IsAlwaysOn(JobDefinition definition) => _byName.TryGetValue(definition.Name, out var entry) && entry.AlwaysOn;

    public JobDefinition For(Type jobType) =>
        _byName.Values.Select(v => v.Definition).SingleOrDefault(d => d.JobType == jobType)
        ?? throw new InvalidOperationException($"{jobType.Name} is not declared by any loaded module (m.Jobs.Recurring/OnDemand).");
}
