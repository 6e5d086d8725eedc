using Suite.Ui.Components;

namespace Suite.Meetings.Pages;

/// <summary>Shared helpers of the module's server-rendered pages (status codes and the request: see <see cref="ServerPage"/>).</summary>
public abstract class MeetingsPage : ServerPage
{
    protected string Form(string name) => HttpContext?.Request.HasFormContentType == true ? HttpContext.Request.Form[name].ToString() : "";
}
