using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Suite.Platform.Pages;

/// <summary>Shared helpers of the platform's server-rendered pages: localised error keys ("Key:argument").</summary>
public abstract class PlatformPage : ComponentBase
{
    [Inject] private IStringLocalizer<PlatformText> Text { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] protected HttpContext? HttpContext { get; set; }

    internal IReadOnlyList<string>? ErrorsFor(global::Suite.Platform.Admin.AdminResult? result, string field) =>
        result is not null && result.Errors.TryGetValue(field, out var keys) ? keys.Select(Localize).ToList() : null;

    /// <summary>The text of <paramref name="key"/>, or of "<paramref name="key"/>.One" when <paramref name="count"/> takes the
    /// singular (0 and 1 in French, 1 in English).</summary>
    protected string Count(string key, int count)
    {
        var singular = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? count is 0 or 1 : count == 1;
        return singular ? Text[key + ".One", count] : Text[key, count];
    }

    protected string Localize(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? Text[key] : Text[key[..colon], key[(colon + 1)..]];
    }

    /// <summary>True once the page refused the caller: the page renders the not-found content and its form
    /// handlers do nothing. Another ministry's page looks exactly like one that does not exist.</summary>
    protected bool Refused { get; private set; }

    protected void Refuse(int status = StatusCodes.Status404NotFound)
    {
        Refused = true;
        if (HttpContext is { Response.HasStarted: false })
        {
            HttpContext.Response.StatusCode = status;
            // This page renders the refusal itself: the status-code page must not re-execute the request.
            if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
                statusPages.Enabled = false;
        }
    }

    protected bool IsPost => HttpMethods.IsPost(HttpContext?.Request.Method ?? "GET");

    protected string BaseUrl => Navigation.BaseUri.TrimEnd('/');
}
