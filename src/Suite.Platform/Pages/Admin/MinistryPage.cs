using Microsoft.AspNetCore.Components;
using Suite.Platform.Admin;
using Suite.Platform.Data;
using Suite.Platform.Features.Ministries;

namespace Suite.Platform.Pages.Admin;

/// <summary>Base of the pages under /admin/m/{slug}: resolves the ministry, or answers 404 when the caller may not
/// see it (another ministry's administration looks exactly like one that does not exist).</summary>
public abstract class MinistryPage : PlatformPage
{
    [Parameter] public string Slug { get; set; } = "";
    [Inject] internal MinistryAdministration Ministries { get; set; } = default!;
    [Inject] internal AdminScope Scope { get; set; } = default!;

    internal Tenant? Ministry { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        Ministry = await Ministries.FindForAdministrationAsync(Slug);
        if (Ministry is null)
        {
            Refuse();
            return;
        }
        await LoadAsync();
    }

    protected abstract Task LoadAsync();
}
