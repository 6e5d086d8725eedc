using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Suite.Platform.Data;
using Suite.Platform.Identity;

namespace Suite.Platform.Features.Setup;

/// <summary>On an empty database the portal asks for the platform administrator's account. There is no default
/// password: until this runs, no one can sign in.</summary>
internal sealed class FirstRunSetup(IDbContextFactory<PlatformDbContext> contexts, UserManager<SuiteUser> users, SetupState state, TimeProvider clock)
{
    public async Task<bool> IsNeededAsync(CancellationToken cancellationToken = default)
    {
        if (state.Done)
            return false;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var needed = !await db.Users.AnyAsync(u => u.IsPlatformAdministrator, cancellationToken);
        if (!needed)
            state.Done = true;
        return needed;
    }

    /// <summary>Returns Identity/validation error keys, or the new administrator when it worked.</summary>
    public async Task<(SuiteUser? User, IReadOnlyList<(string Field, string Error)> Errors)> CreateAdministratorAsync(string? displayName, string? email, string? password, string? confirm, CancellationToken cancellationToken = default)
    {
        displayName = Features.Validation.Clean(displayName);
        email = Features.Validation.Clean(email).ToLowerInvariant();
        var errors = new List<(string, string)>();
        if (displayName.Length is 0 or > 200) errors.Add(("DisplayName", "Error.NameRequired"));
        if (!Features.Validation.IsEmail(email)) errors.Add(("Email", "Error.EmailFormat"));
        if (string.IsNullOrEmpty(password)) errors.Add(("Password", "Error.PasswordRequired"));
        else if (password != confirm) errors.Add(("Confirm", "Error.PasswordMismatch"));
        if (errors.Count > 0)
            return (null, errors);

        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            if (!await IsNeededAsync(cancellationToken))
                return (null, [("", "Error.SetupDone")]);
            var user = new SuiteUser
            {
                Id = Guid.NewGuid(),
                DisplayName = displayName,
                Email = email,
                UserName = email,
                EmailConfirmed = true,
                IsPlatformAdministrator = true,
                LockoutEnabled = true,
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(user, password!);
            if (!created.Succeeded)
                return (null, created.Errors.Select(e => ("Password", "Identity." + e.Code)).ToList());
            state.Done = true;
            return (user, []);
        }
        finally
        {
            state.Gate.Release();
        }
    }
}

/// <summary>Per application: once an administrator exists, setup is closed for good without asking the database.</summary>
internal sealed class SetupState
{
    public volatile bool Done;
    public readonly SemaphoreSlim Gate = new(1, 1);
}
