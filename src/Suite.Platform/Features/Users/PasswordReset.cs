using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Email;
using Suite.Platform.Identity;

namespace Suite.Platform.Features.Users;

/// <summary>"Forgotten password": a signed, single-use, expiring Identity token sent by email. The answer never
/// tells whether the address has an account.</summary>
internal sealed class PasswordReset(UserManager<SuiteUser> users, IEmailSender email, ILogger<PasswordReset> logger)
{
    public async Task RequestAsync(string? address, string baseUrl, CancellationToken cancellationToken)
    {
        var user = string.IsNullOrWhiteSpace(address) ? null : await users.FindByEmailAsync(address.Trim());
        if (user is not { IsActive: true })
        {
            logger.LogInformation("Password reset asked for an unknown or inactive address");
            return;
        }
        var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = $"{baseUrl.TrimEnd('/')}/account/reset?user={user.Id}&token={token}";
        var text = $"Bonjour {user.DisplayName},\r\n\r\nPour choisir un nouveau mot de passe, ouvrez ce lien :\r\n{link}\r\n\r\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message.\r\n\r\n" +
                   $"Hello {user.DisplayName},\r\n\r\nTo choose a new password, open this link:\r\n{link}\r\n\r\nIf you did not ask for it, ignore this message.\r\n";
        await email.SendAsync(new EmailMessage(user.Email!, "Nouveau mot de passe / New password", text), cancellationToken);
    }

    /// <summary>Returns error keys (password policy, invalid or used link) or none.</summary>
    public async Task<IReadOnlyList<string>> ResetAsync(Guid userId, string? token, string? password)
    {
        var user = await users.FindByIdAsync(userId.ToString());
        if (user is not { IsActive: true } || string.IsNullOrEmpty(token) || string.IsNullOrEmpty(password))
            return ["Error.ResetInvalid"];
        string decoded;
        try
        {
            decoded = System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(token));
        }
        catch (FormatException)
        {
            return ["Error.ResetInvalid"];
        }
        var result = await users.ResetPasswordAsync(user, decoded, password);
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            return [];
        }
        return result.Errors.Select(e => e.Code == "InvalidToken" ? "Error.ResetInvalid" : "Identity." + e.Code).ToList();
    }
}
