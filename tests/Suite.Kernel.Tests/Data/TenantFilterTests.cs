using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Tests.Data;

public sealed class TenantFilterTests : IDisposable
{
    private static readonly Guid MinistryA = Guid.NewGuid();
    private static readonly Guid MinistryB = Guid.NewGuid();
    private static readonly Guid Budget = Guid.NewGuid();
    private static readonly Guid Legal = Guid.NewGuid();
    private static readonly Guid Press = Guid.NewGuid();

    private readonly NotesDatabase _database = new();

    public void Dispose() => _database.Dispose();

    private void Seed()
    {
        using (var a = _database.ForMinistry(MinistryA))
        {
            a.Notes.AddRange(new Note { Text = "a-1" }, new Note { Text = "a-2" });
            a.Folders.AddRange(
                new Folder { Name = "a-shared" },
                new Folder { Name = "a-budget", DepartmentId = Budget },
                new Folder { Name = "a-legal", DepartmentId = Legal },
                new Folder { Name = "a-press", DepartmentId = Press });
            a.SaveChanges();
        }
        using (var b = _database.ForMinistry(MinistryB))
        {
            b.Notes.Add(new Note { Text = "b-1" });
            b.Folders.AddRange(new Folder { Name = "b-shared" }, new Folder { Name = "b-budget", DepartmentId = Budget });
            b.SaveChanges();
        }
    }

    private static List<string> NotesOf(NotesDbContext context) => [.. context.Notes.OrderBy(n => n.Text).Select(n => n.Text)];

    private static List<string> FoldersOf(NotesDbContext context) => [.. context.Folders.OrderBy(f => f.Name).Select(f => f.Name)];

    [Fact]
    public void Each_context_sees_only_its_own_ministry_rows_from_the_same_cached_model()
    {
        Seed();
        using var a = _database.ForMinistry(MinistryA);
        using var b = _database.ForMinistry(MinistryB);
        using var againA = _database.ForMinistry(MinistryA);

        Assert.Same(a.Model, b.Model);
        Assert.Equal(["a-1", "a-2"], NotesOf(a));
        Assert.Equal(["b-1"], NotesOf(b));
        Assert.Equal(["a-1", "a-2"], NotesOf(againA));
        Assert.Equal(2, a.Notes.Count());
        Assert.Equal(1, b.Notes.Count());
        Assert.Null(b.Notes.FirstOrDefault(n => n.Text == "a-1"));
    }

    [Fact]
    public async Task The_filter_applies_to_async_queries_and_finds_too()
    {
        Seed();
        await using var a = _database.ForMinistry(MinistryA);
        await using var b = _database.ForMinistry(MinistryB);
        var noteOfB = await b.Notes.AsNoTracking().SingleAsync();

        Assert.Equal(["a-1", "a-2"], await a.Notes.OrderBy(n => n.Text).Select(n => n.Text).ToListAsync());
        Assert.Null(await a.Notes.FindAsync(noteOfB.Id));
        Assert.False(await a.Notes.AnyAsync(n => n.Id == noteOfB.Id));
    }

    [Fact]
    public void Without_a_current_ministry_no_row_is_visible()
    {
        Seed();
        using var nobody = _database.WithoutTenant();

        Assert.Empty(nobody.Notes.ToList());
        Assert.Empty(nobody.Folders.ToList());
        Assert.Equal(0, nobody.Notes.IgnoreQueryFilters(["department"]).Count());
        Assert.Equal(3, _database.RawNotes().Count);
    }

    [Fact]
    public void A_member_sees_ministry_wide_rows_and_rows_of_their_departments_only()
    {
        Seed();
        using var budgetOnly = _database.ForMinistry(MinistryA, Budget);
        using var budgetAndLegal = _database.ForMinistry(MinistryA, Budget, Legal);
        using var noDepartment = _database.ForMinistry(MinistryA);
        using var budgetInB = _database.ForMinistry(MinistryB, Budget);

        Assert.Equal(["a-budget", "a-shared"], FoldersOf(budgetOnly));
        Assert.Equal(["a-budget", "a-legal", "a-shared"], FoldersOf(budgetAndLegal));
        Assert.Equal(["a-shared"], FoldersOf(noDepartment));
        Assert.Equal(["b-budget", "b-shared"], FoldersOf(budgetInB));
    }

    [Fact]
    public void Rows_without_a_department_filter_ignore_departments()
    {
        Seed();
        using var budgetOnly = _database.ForMinistry(MinistryA, Budget);

        Assert.Equal(["a-1", "a-2"], NotesOf(budgetOnly));
    }

    [Fact]
    public void Ignoring_the_tenant_filter_crosses_ministries_explicitly_and_keeps_the_department_filter()
    {
        Seed();
        using var a = _database.ForMinistry(MinistryA, Budget);

        Assert.Equal(["a-1", "a-2", "b-1"], [.. a.Notes.IgnoreQueryFilters([QueryFilterNames.Tenant]).OrderBy(n => n.Text).Select(n => n.Text)]);
        Assert.Equal(["a-budget", "a-shared", "b-budget", "b-shared"],
            [.. a.Folders.IgnoreQueryFilters(QueryFilterNames.TenantOnly).OrderBy(f => f.Name).Select(f => f.Name)]);
        Assert.Equal(["a-budget", "a-legal", "a-press", "a-shared"],
            [.. a.Folders.IgnoreQueryFilters([QueryFilterNames.Department]).OrderBy(f => f.Name).Select(f => f.Name)]);
    }

    [Fact]
    public void The_model_carries_named_tenant_and_department_filters()
    {
        using var context = _database.ForMinistry(MinistryA);

        Assert.Equal(["tenant"], context.Model.FindEntityType(typeof(Note))!.GetDeclaredQueryFilters().Select(f => f.Key));
        Assert.Equal(["department", "tenant"],
            context.Model.FindEntityType(typeof(Folder))!.GetDeclaredQueryFilters().Select(f => f.Key!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Saving_stamps_the_current_ministry_on_new_rows()
    {
        await using (var a = _database.ForMinistry(MinistryA))
        {
            var note = new Note { Text = "stamped" };
            a.Notes.Add(note);
            a.SaveChanges();
            Assert.Equal(MinistryA, note.TenantId);
        }
        await using (var b = _database.ForMinistry(MinistryB))
        {
            b.Notes.Add(new Note { Text = "stamped-async" });
            await b.SaveChangesAsync();
        }

        Assert.Equal([("stamped", MinistryA), ("stamped-async", MinistryB)], _database.RawNotes());
    }

    [Fact]
    public void A_new_row_already_carrying_the_current_ministry_is_accepted()
    {
        using var a = _database.ForMinistry(MinistryA);
        a.Notes.Add(new Note { Text = "explicit", TenantId = MinistryA });

        a.SaveChanges();

        Assert.Equal([("explicit", MinistryA)], _database.RawNotes());
    }

    [Fact]
    public void Changing_the_ministry_of_a_tracked_row_is_refused()
    {
        Seed();
        using (var a = _database.ForMinistry(MinistryA))
        {
            var note = a.Notes.Single(n => n.Text == "a-1");
            note.TenantId = MinistryB;

            Assert.Throws<TenantIsolationException>(() => a.SaveChanges());
        }

        Assert.Contains(("a-1", MinistryA), _database.RawNotes());
    }

    [Fact]
    public async Task Changing_the_ministry_of_a_tracked_row_is_refused_on_async_save_too()
    {
        Seed();
        await using var a = _database.ForMinistry(MinistryA);
        var note = await a.Notes.SingleAsync(n => n.Text == "a-2");
        note.TenantId = MinistryB;

        await Assert.ThrowsAsync<TenantIsolationException>(() => a.SaveChangesAsync());
    }

    [Fact]
    public void Changing_the_ministry_of_a_row_is_refused_even_without_a_current_ministry()
    {
        Seed();
        using var platform = _database.WithoutTenant();
        var note = platform.Notes.IgnoreQueryFilters([QueryFilterNames.Tenant]).Single(n => n.Text == "b-1");
        note.TenantId = MinistryA;

        Assert.Throws<TenantIsolationException>(() => platform.SaveChanges());
    }

    [Fact]
    public void Modifying_or_deleting_a_row_of_another_ministry_is_refused()
    {
        Seed();
        using (var a = _database.ForMinistry(MinistryA))
        {
            var foreign = a.Notes.IgnoreQueryFilters([QueryFilterNames.Tenant]).Single(n => n.Text == "b-1");
            foreign.Text = "b-1-edited";
            Assert.Throws<TenantIsolationException>(() => a.SaveChanges());
        }
        using (var a = _database.ForMinistry(MinistryA))
        {
            var foreign = a.Notes.IgnoreQueryFilters([QueryFilterNames.Tenant]).Single(n => n.Text == "b-1");
            a.Notes.Remove(foreign);
            Assert.Throws<TenantIsolationException>(() => a.SaveChanges());
        }

        Assert.Contains(("b-1", MinistryB), _database.RawNotes());
    }

    [Fact]
    public void Inserting_without_a_current_ministry_is_refused()
    {
        using var nobody = _database.WithoutTenant();
        nobody.Notes.Add(new Note { Text = "orphan" });

        Assert.Throws<TenantIsolationException>(() => nobody.SaveChanges());
        Assert.Empty(_database.RawNotes());
    }

    [Fact]
    public void Inserting_a_row_for_another_ministry_is_refused()
    {
        using var a = _database.ForMinistry(MinistryA);
        a.Notes.Add(new Note { Text = "smuggled", TenantId = MinistryB });

        Assert.Throws<TenantIsolationException>(() => a.SaveChanges());
        Assert.Empty(_database.RawNotes());
    }

    [Fact]
    public void Platform_code_without_a_current_ministry_may_insert_for_an_explicit_ministry()
    {
        using var platform = _database.WithoutTenant();
        platform.Notes.Add(new Note { Text = "provisioned", TenantId = MinistryB });

        platform.SaveChanges();

        Assert.Equal([("provisioned", MinistryB)], _database.RawNotes());
    }
}
