using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.People;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Connection;
using Suite.Mail.Data;

namespace Suite.Mail.Features.Accounts;

/// <summary>A person's mailbox login with the password in clear, only ever held in memory for one request.</summary>
/// <param name="Address">The person's address when it differs from the login (master user: <c>address*master</c>).</param>
internal sealed record MailCredentials(string Login, string Password, string? Address = null)
{
    /// <summary>The address mail is sent from.</summary>
    public string Sender => Address ?? Login;

    /// <summary>Dovecot's master-user login: the person's address, the separator, the master's name.</summary>
    public static MailCredentials Master(string address, string masterUser, string masterPassword) =>
        new($"{address}*{masterUser}", masterPassword, address);
}

/// <summary>The current user's mailbox credentials: their own, encrypted at rest with Data Protection, or — when the
/// ministry chose the master-user mode — the master user's, signing in as the person's portal address.</summary>
internal sealed class MailAccounts(IDbContextFactory<MailDbContext> contexts, ITenantContext me, IDataProtectionProvider protection, TimeProvider clock,
    ISettingProvider settings, IPeopleDirectory people, Live.InboxWatchOnPresence? presenceWatch = null)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Suite.Mail.MailboxPassword.v1");

    public async Task<bool> UsesMasterAsync(CancellationToken cancellationToken = default) =>
        await settings.GetAsync(MailNames.Settings.AuthMode, cancellationToken) == MailAuthModes.Master;

    /// <summary>The person's own address (master mode) or saved login; null when none.</summary>
    public async Task<string?> LoginAsync(CancellationToken cancellationToken = default) =>
        await UsesMasterAsync(cancellationToken) ? (await MasterAsync(cancellationToken))?.Sender : (await FindAsync(cancellationToken))?.Login;

    /// <summary>Null when the user has not saved a mailbox password yet (or the key that encrypted it is gone).</summary>
    public async Task<MailCredentials?> CredentialsAsync(CancellationToken cancellationToken = default)
    {
        if (await UsesMasterAsync(cancellationToken))
            return await MasterAsync(cancellationToken);
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
        if (presenceWatch is not null)
            await presenceWatch.CredentialsChangedAsync(
                new TenantScope(userId, me.TenantId, me.ActiveDepartmentId, me.DepartmentIds, me.Role, me.AdministeredDepartmentIds, me.DisplayName), cancellationToken);
    }

    /// <summary>Master mode: the master's credentials for the person's portal address; throws when the ministry has
    /// not finished configuring it.</summary>
    private async Task<MailCredentials?> MasterAsync(CancellationToken cancellationToken)
    {
        if (me.UserId is not { } userId || await people.FindAsync(userId, cancellationToken) is not { } person)
            return null;
        var master = (await settings.GetAsync(MailNames.Settings.MasterUser, cancellationToken))?.Trim();
        var password = await settings.GetAsync(MailNames.Settings.MasterPassword, cancellationToken);
        if (string.IsNullOrEmpty(master) || string.IsNullOrEmpty(password))
            throw new MailUnavailableException(MailErrors.NotConfigured);
        return MailCredentials.Master(person.Email, master, password);
    }

    private async Task<MailAccount?> FindAsync(CancellationToken cancellationToken)
    {
        if (me.UserId is not { } userId)
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken);
    }
}
