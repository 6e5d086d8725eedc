using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Data;
using Suite.Kernel.Tenancy;
using Suite.Mail.Contracts;

namespace Suite.Mail.Data;

internal sealed class MailDbContext(DbContextOptions<MailDbContext> options, ITenantContext tenant) : ModuleDbContext(options, tenant)
{
    public const int LoginMaxLength = 320;
    public const int ProtectedPasswordMaxLength = 2000;

    protected override string Schema => MailNames.ModuleId;

    public DbSet<MailAccount> Accounts => Set<MailAccount>();

    protected override void ConfigureModel(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MailAccount>(account =>
        {
            account.ToTable("Accounts");
            account.Property(a => a.Login).HasMaxLength(LoginMaxLength);
            account.Property(a => a.ProtectedPassword).HasMaxLength(ProtectedPasswordMaxLength);
            account.HasIndex(a => new { a.TenantId, a.UserId }).IsUnique();
        });
    }
}
