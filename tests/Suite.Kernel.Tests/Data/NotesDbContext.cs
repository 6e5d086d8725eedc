using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Authorization;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Tests.Data;

/// <summary>Owned by one ministry.</summary>
internal sealed class Note : ITenantScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public required string Text { get; set; }
}

/// <summary>Owned by one ministry and, unless ministry-wide, one department.</summary>
internal sealed class Folder : ITenantScoped, IDepartmentScoped
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid TenantId { get; set; }
    public Guid? DepartmentId { get; set; }
    public required string Name { get; set; }
}

/// <summary>A module context as a module would write it: only its own model, the kernel adds the filters.</summary>
internal sealed class NotesDbContext(DbContextOptions<NotesDbContext> options, ITenantContext tenant) : ModuleDbContext(options, tenant)
{
    protected override string Schema => "notes";

    public DbSet<Note> Notes => Set<Note>();
    public DbSet<Folder> Folders => Set<Folder>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Note>().Property(n => n.Text).HasMaxLength(200);
        modelBuilder.Entity<Folder>().Property(f => f.Name).HasMaxLength(200);
    }
}

/// <summary>One open in-memory SQLite database per test (it lives as long as the connection).</summary>
internal sealed class NotesDatabase : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly DbContextOptions<NotesDbContext> _options;

    public NotesDatabase()
    {
        _connection.Open();
        _options = new DbContextOptionsBuilder<NotesDbContext>().UseSqlite(_connection).Options;
        using var context = For(TenantScope.Empty);
        context.Database.EnsureCreated();
    }

    public NotesDbContext For(TenantScope scope)
    {
        var tenant = new TenantContext();
        tenant.Set(scope);
        return new NotesDbContext(_options, tenant);
    }

    public NotesDbContext ForMinistry(Guid tenantId, params Guid[] departments) =>
        For(new TenantScope(Guid.NewGuid(), tenantId, departments.Length > 0 ? departments[0] : null, departments, SuiteRole.Member, []));

    public NotesDbContext WithoutTenant() => For(TenantScope.Empty);

    /// <summary>Every row as stored, read with plain SQL so that no filter is involved.</summary>
    public List<(string Text, Guid TenantId)> RawNotes()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT Text, TenantId FROM Notes ORDER BY Text";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, Guid)>();
        while (reader.Read())
            rows.Add((reader.GetString(0), reader.GetGuid(1)));
        return rows;
    }

    public void Dispose() => _connection.Dispose();
}
