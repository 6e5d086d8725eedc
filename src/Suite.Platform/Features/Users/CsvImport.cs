using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Platform.Admin;
using Suite.Platform.Data;

namespace Suite.Platform.Features.Users;

internal sealed record CsvRowError(int Line, string Message, string? Value);

internal sealed record CsvImportReport(int TotalRows, IReadOnlyList<NewUser> GoodRows, IReadOnlyList<CsvRowError> Errors, int Imported, bool DryRun)
{
    public bool HasErrors => Errors.Count > 0;
}

/// <summary>Bulk import of a ministry's users from CSV (name, email, department), with a dry-run report.
/// With bad rows nothing is imported, unless the administrator explicitly asks to import the good rows.</summary>
internal sealed class CsvImport(IDbContextFactory<PlatformDbContext> contexts, AdminScope scope, UserAdministration users, ILookupNormalizer normalizer)
{
    public const int MaxRows = 100_000;
    public const long MaxBytes = 20 * 1024 * 1024;

    private static readonly string[] NameHeaders = ["name", "nom", "display name", "nom complet"];
    private static readonly string[] EmailHeaders = ["email", "e-mail", "courriel", "mail", "adresse électronique"];
    private static readonly string[] DepartmentHeaders = ["department", "département", "departement", "service", "direction"];

    public async Task<AdminResult<CsvImportReport>> RunAsync(Guid tenantId, Stream csv, bool dryRun, bool importGoodRows, string baseUrl, CancellationToken cancellationToken = default)
    {
        if (!scope.CanAdministerTenant(tenantId))
        {
            scope.LogRefusal("import users", tenantId);
            return new() { Result = AdminResult.Missing() };
        }
        List<string[]> records;
        using (var reader = new StreamReader(csv, Encoding.UTF8, detectEncodingFromByteOrderMarks: true))
        {
            var text = await reader.ReadToEndAsync(cancellationToken);
            records = CsvReader.Parse(text);
        }
        if (records.Count == 0)
            return new() { Result = AdminResult.Error("File", "Error.CsvEmpty") };
        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var nameColumn = Array.FindIndex(header, NameHeaders.Contains);
        var emailColumn = Array.FindIndex(header, EmailHeaders.Contains);
        var departmentColumn = Array.FindIndex(header, DepartmentHeaders.Contains);
        if (nameColumn < 0 || emailColumn < 0 || departmentColumn < 0)
            return new() { Result = AdminResult.Error("File", "Error.CsvHeader") };
        if (records.Count - 1 > MaxRows)
            return new() { Result = AdminResult.Error("File", "Error.CsvTooManyRows") };

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var departments = await db.Departments.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking()
            .Where(d => d.TenantId == tenantId).Select(d => new { d.Id, d.Slug, d.Name }).ToListAsync(cancellationToken);
        var bySlug = departments.ToDictionary(d => d.Slug, d => d.Id, StringComparer.OrdinalIgnoreCase);
        var byName = departments.GroupBy(d => d.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count() == 1 ? g.First().Id : Guid.Empty, StringComparer.OrdinalIgnoreCase);

        var good = new List<NewUser>();
        var errors = new List<CsvRowError>();
        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var candidates = new List<(int Line, NewUser User)>();
        for (var i = 1; i < records.Count; i++)
        {
            var line = i + 1;
            var record = records[i];
            if (record.All(string.IsNullOrWhiteSpace))
                continue;
            string Field(int column) => column < record.Length ? record[column].Trim() : string.Empty;
            var name = Field(nameColumn);
            var email = Field(emailColumn).ToLowerInvariant();
            var department = Field(departmentColumn);
            var before = errors.Count;
            if (name.Length is 0 or > 200) errors.Add(new(line, "Csv.NameMissing", name));
            if (!Validation.IsEmail(email)) errors.Add(new(line, "Csv.EmailInvalid", email));
            else if (seen.TryGetValue(email, out var first)) errors.Add(new(line, "Csv.EmailDuplicateInFile", $"{email} ({first})"));
            else seen[email] = line;
            Guid departmentId = Guid.Empty;
            if (!bySlug.TryGetValue(department, out departmentId) && !(byName.TryGetValue(department, out departmentId) && departmentId != Guid.Empty))
                errors.Add(new(line, byName.ContainsKey(department) ? "Csv.DepartmentAmbiguous" : "Csv.DepartmentUnknown", department));
            if (errors.Count == before)
                candidates.Add((line, new NewUser(name, email, departmentId)));
        }

        var normalized = candidates.Select(c => normalizer.NormalizeEmail(c.User.Email)).ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in normalized.Chunk(500))
        {
            var found = await db.Users.Where(u => chunk.Contains(u.NormalizedEmail!)).Select(u => u.NormalizedEmail!).ToListAsync(cancellationToken);
            existing.UnionWith(found);
        }
        foreach (var (line, user) in candidates)
        {
            if (existing.Contains(normalizer.NormalizeEmail(user.Email)))
                errors.Add(new(line, "Csv.EmailExists", user.Email));
            else
                good.Add(user);
        }
        errors.Sort((a, b) => a.Line.CompareTo(b.Line));

        var total = records.Skip(1).Count(r => !r.All(string.IsNullOrWhiteSpace));
        var imported = 0;
        if (!dryRun && (errors.Count == 0 || importGoodRows) && good.Count > 0)
            imported = await users.CreateManyAsync(tenantId, good, baseUrl, cancellationToken);
        return new() { Value = new CsvImportReport(total, good, errors, imported, dryRun) };
    }
}

/// <summary>RFC 4180 CSV with quoted fields; the separator (',' or ';', as French spreadsheets write) is taken from the header line.</summary>
internal static class CsvReader
{
    public static List<string[]> Parse(string text)
    {
        var firstLineEnd = text.IndexOfAny(['\r', '\n']);
        var headerLine = firstLineEnd < 0 ? text : text[..firstLineEnd];
        var separator = headerLine.Count(c => c == ';') > headerLine.Count(c => c == ',') ? ';' : ',';
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == separator) { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else field.Append(c);
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }
        return records;
    }
}
