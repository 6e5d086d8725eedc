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

    protected string Localize(string key)
    {
        var colon = key.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? Text[key] : Text[key[..colon], key[(colon + 1)..]];
    }

    protected bool IsPost => HttpMethods.IsPost(HttpContext?.Request.Method ?? "GET");

    protected string BaseUrl => Navigation.BaseUri.TrimEnd('/');
}
