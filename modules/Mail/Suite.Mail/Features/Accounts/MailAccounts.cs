using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Tenancy;
using Suite.Mail.Data;

namespace Suite.Mail.Features.Accounts;

/// <summary>A person's mailbox login with the password in clear, only ever held in memory for one request.</summary>
internal sealed record MailCredentials(string Login, string Password);

/// <summary>The current user's mailbox credentials, encrypted at rest with Data Protection.</summary>
internal sealed class MailAccounts(IDbContextFactory<MailDbContext> contexts, ITenantContext me, IDataProtectionProvider protection, TimeProvider clock)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Suite.Mail.MailboxPassword.v1");

    public async Task<string?> LoginAsync(CancellationToken cancellationToken = default) =>
        (await FindAsync(cancellationToken))?.Login;

    /// <summary>Null when the user has not saved a mailbox password yet (or the key that encrypted it is gone).</summary>
    public async Task<MailCredentials?> CredentialsAsync(CancellationToken cancellationToken = default)
    {
        if (await FindAsync(cancellationToken) is not { } account)
            return null;
        try
        {
            return new MailCredentials(account.Login, _protector.Unprotect(account.ProtectedPassword));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }

    public async Task SaveAsync(MailCredentials credentials, CancellationToken cancellationToken = default)
    {
        if (me.UserId is not { } userId || me.TenantId is null)
            throw new InvalidOperationException("Only a member of a ministry has a mailbox.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
        if (account is null)
        {
            account = new MailAccount { Id = Guid.NewGuid(), UserId = userId, Login = credentials.Login, ProtectedPassword = "" };
            db.Accounts.Add(account);
        }
        account.Login = credentials.Login;
        account.ProtectedPassword = _protector.Protect(credentials.Password);
        account.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<MailAccount?> FindAsync(CancellationToken cancellationToken)
    {
        if (me.UserId is not { } userId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
    }
}
