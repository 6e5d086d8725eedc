using Microsoft.Extensions.Configuration;

namespace Suite.Platform.Features.Users;

/// <summary>Keeps an uploaded CSV between the dry run and the import, so the administrator confirms exactly what
/// was checked. Files live under the data folder, per ministry, named by a random id, and expire after a day.</summary>
internal sealed class ImportUploads(IConfiguration configuration)
{
    private string Folder(Guid tenantId) => Path.Combine(configuration["Suite:DataDirectory"] ?? "data", "imports", tenantId.ToString("N"));

    public async Task<string> SaveAsync(Guid tenantId, Stream content, CancellationToken cancellationToken)
    {
        var folder = Folder(tenantId);
        Directory.CreateDirectory(folder);
        foreach (var old in Directory.EnumerateFiles(folder).Where(f => File.GetLastWriteTimeUtc(f) < DateTime.UtcNow.AddDays(-1)))
            File.Delete(old);
        var id = Guid.NewGuid().ToString("N");
        await using var file = File.Create(Path.Combine(folder, id + ".csv"));
        await content.CopyToAsync(file, cancellationToken);
        return id;
    }

    public Stream? Open(Guid tenantId, string? id)
    {
        if (id is null || !Guid.TryParseExact(id, "N", out _))
            return null;
        var path = Path.Combine(Folder(tenantId), id + ".csv");
        return File.Exists(path) ? File.OpenRead(path) : null;
    }

    public void Delete(Guid tenantId, string id)
    {
        if (Guid.TryParseExact(id, "N", out _))
            File.Delete(Path.Combine(Folder(tenantId), id + ".csv"));
    }
}
