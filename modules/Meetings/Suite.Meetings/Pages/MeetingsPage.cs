using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace Suite.Meetings.Pages;

/// <summary>Shared helpers of the module's server-rendered pages.</summary>
public abstract class MeetingsPage : ComponentBase
{
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] protected HttpContext? HttpContext { get; set; }

    protected bool IsPost => HttpMethods.IsPost(HttpContext?.Request.Method ?? "GET");

    /// <summary>Answers with a status code while rendering the page's own friendly message (no status-page re-execution).</summary>
    protected void SetStatus(int status)
    {
        if (HttpContext is not { Response.HasStarted: false })
            return;
        HttpContext.Response.StatusCode = status;
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;
    }

    protected string Form(string name) => HttpContext?.Request.HasFormContentType == true ? HttpContext.Request.Form[name].ToString() : "";
}
