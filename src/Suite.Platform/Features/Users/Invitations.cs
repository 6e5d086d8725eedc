using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Suite.Kernel.Email;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Platform.Data;
using Suite.Platform.Identity;

namespace Suite.Platform.Features.Users;

/// <summary>Invitation links: a random token in the link, only its hash in the database, expiring after the
/// ministry's "platform.invitation-days" setting.</summary>
internal sealed class Invitations(
    IDbContextFactory<PlatformDbContext> contexts,
    IEmailSender email,
    ISettingProvider settings,
    UserManager<SuiteUser> users,
    TimeProvider clock)
{
    public async Task<int> ValidDaysAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await settings.GetAsync(PlatformSettings.InvitationDays, new SettingTarget(tenantId, null, null), cancellationToken);

    public string Create(PlatformDbContext db, Guid tenantId, Guid userId, string baseUrl, int validDays)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.Invitations.Add(new Invitation
        {
            Id = Guid.NewGuid(),
            TenantId = tenantId,
            UserId = userId,
            TokenHash = Hash(token),
            ExpiresAt = clock.GetUtcNow().AddDays(validDays),
        });
        return baseUrl.TrimEnd('/') + "/account/invitation?token=" + token;
    }

    public async Task SendAsync(SuiteUser user, string link, CancellationToken cancellationToken)
    {
        var days = await settings.GetAsync(PlatformSettings.InvitationDays, new SettingTarget(user.TenantId, null, null), cancellationToken);
        var text = $"Bonjour {user.DisplayName},\r\n\r\nUn compte a été créé pour vous sur la Suite. Choisissez votre mot de passe avec ce lien (valable {days} jours) :\r\n{link}\r\n\r\n" +
                   $"Hello {user.DisplayName},\r\n\r\nAn account was created for you on Suite. Choose your password with this link (valid {days} days):\r\n{link}\r\n";
        await email.SendAsync(new EmailMessage(user.Email!, "Invitation à la Suite / Invitation to Suite", text), cancellationToken);
    }

    public async Task<(Invitation? Invitation, SuiteUser? User)> FindValidAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
            return (null, null);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var hash = Hash(token);
        var invitation = await db.Invitations.IgnoreQueryFilters(QueryFilterNames.TenantOnly).AsNoTracking().FirstOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        if (invitation is null || invitation.AcceptedAt is not null)
            return (null, null);
        if (invitation.ExpiresAt < clock.GetUtcNow())
            return (null, null);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == invitation.UserId && u.IsActive, cancellationToken);
        return user is null ? (null, null) : (invitation, user);
    }

    /// <summary>Sets the invited user's password; returns Identity's errors (password policy) or none.</summary>
    public async Task<IReadOnlyList<string>> AcceptAsync(string token, string password, CancellationToken cancellationToken)
    {
        var (invitation, found) = await FindValidAsync(token, cancellationToken);
        if (invitation is null || found is null)
            return ["Error.InvitationInvalid"];
        var user = await users.FindByIdAsync(found.Id.ToString());
        if (user is null)
            return ["Error.InvitationInvalid"];
        var outcome = user.PasswordHash is null ? await users.AddPasswordAsync(user, password) : IdentityResult.Failed(new IdentityError { Code = "Error.InvitationInvalid" });
        if (!outcome.Succeeded)
            return outcome.Errors.Select(e => e.Code.StartsWith("Error.", StringComparison.Ordinal) ? e.Code : "Identity." + e.Code).ToList();
        user.EmailConfirmed = true;
        await users.UpdateAsync(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Invitations.IgnoreQueryFilters(QueryFilterNames.TenantOnly).Where(i => i.Id == invitation.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, clock.GetUtcNow()), cancellationToken);
        return [];
    }

    private static string Hash(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
