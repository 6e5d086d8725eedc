using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Suite.Ui.Components;

/// <summary>Base of the server-rendered pages of the platform and the modules: the request, the form, and answering
/// with a status code while the page renders its own friendly content.</summary>
public abstract class ServerPage : ComponentBase
{
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] protected HttpContext? HttpContext { get; set; }

    protected bool IsPost => HttpMethods.IsPost(HttpContext?.Request.Method ?? "GET");

    /// <summary>Answers with <paramref name="status"/> and keeps this page's own content as the body.</summary>
    /// <remarks>Blazor's endpoint renderer writes no body at all when the status code changes during the render while
    /// a status-code page is configured (it expects that page to be re-executed instead). So the re-execution is
    /// switched off and the code is applied only as the response starts, after the renderer's check.</remarks>
    protected void SetStatus(int status)
    {
        if (HttpContext is not { Response.HasStarted: false } context)
            return;
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;
        context.Response.OnStarting(() =>
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        });
    }
}
