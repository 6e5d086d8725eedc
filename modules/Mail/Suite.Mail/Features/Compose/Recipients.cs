using Microsoft.AspNetCore.Http;
using Suite.Kernel.People;

namespace Suite.Mail.Features.Compose;

/// <param name="Name">Display name.</param>
/// <param name="Email">Address to write to.</param>
internal sealed record RecipientSuggestion(string Name, string Email);

/// <summary>Suggestions for the compose form's recipient fields: people of the user's own ministry only (the platform's
/// directory filters by the ministry in scope), at most <see cref="Max"/>.</summary>
internal static class Recipients
{
    public const int Max = 8;

    public static async Task<IResult> SuggestAsync(string? q, IPeopleDirectory people, HttpContext http, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        var found = await people.SearchAsync((q ?? "").Length > 200 ? q![..200] : q ?? "", Max, cancellationToken);
        return Results.Json(found.Select(p => new RecipientSuggestion(p.DisplayName, p.Email)).ToList());
    }
}
