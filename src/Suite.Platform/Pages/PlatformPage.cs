using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Suite.Platform.Pages;

/// <summary>Shared helpers of the platform's server-rendered pages: localised error keys ("Key:argument").</summary>
public abstract class PlatformPage : Suite.Ui.Components.ServerPage
{
    [Inject] private IStringLocalizer<PlatformText> Text { get; set; } = default!;

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
        SetStatus(status);
    }

    protected string BaseUrl => Navigation.BaseUri.TrimEnd('/');
}
