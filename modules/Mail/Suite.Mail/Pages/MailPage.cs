using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Suite.Mail.Features.Compose;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Folders;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Pages;

/// <summary>Shared helpers of the webmail's server-rendered pages.</summary>
public abstract class MailPage : ComponentBase
{
    [Inject] private IStringLocalizer<MailText> Text { get; set; } = default!;
    [Inject] protected NavigationManager Navigation { get; set; } = default!;
    [CascadingParameter] protected HttpContext? HttpContext { get; set; }

    protected bool IsPost => HttpMethods.IsPost(HttpContext?.Request.Method ?? "GET");

    protected string Form(string name) => HttpContext?.Request.HasFormContentType == true ? HttpContext.Request.Form[name].ToString() : "";

    /// <summary>Answers with a status code while rendering the page's own message (no status-page re-execution).</summary>
    protected void SetStatus(int status)
    {
        if (HttpContext is not { Response.HasStarted: false })
            return;
        HttpContext.Response.StatusCode = status;
        if (HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
            statusPages.Enabled = false;
    }

    /// <summary>Runs a mail operation; when the servers fail, returns the reason to show (a person without a saved
    /// mailbox password is sent to the page where they enter it).</summary>
    protected async Task<string?> TryAsync(Func<Task> operation)
    {
        try
        {
            await operation();
            return null;
        }
        catch (Exception error) when (MailErrors.IsMailFailure(error))
        {
            var reason = MailErrors.Explain(error);
            if (reason.Key == MailErrors.NoAccount)
                Navigation.NavigateTo("/mail/account");
            SetStatus(StatusCodes.Status502BadGateway);
            return Describe(reason);
        }
    }

    internal string Describe(MailUnavailableException failure) => MailSender.Describe(Text, failure);

    internal string FolderName(MailFolder folder) =>
        folder.SpecialUse == ImapSpecialUse.None ? folder.DisplayName : Text["Folder." + folder.SpecialUse];

    /// <summary>Query strings bind to long (not uint): a UID is 1 to 2^32-1.</summary>
    protected static uint? AsUid(long? value) => value is >= 1 and <= uint.MaxValue ? (uint)value.Value : null;

    protected static string FolderUrl(string folder, int page = 1, string? search = null) =>
        "/mail?folder=" + Uri.EscapeDataString(folder) + (page > 1 ? "&page=" + page : "")
        + (string.IsNullOrWhiteSpace(search) ? "" : "&q=" + Uri.EscapeDataString(search.Trim()));

    protected static string MessageUrl(string folder, uint uid) =>
        "/mail/read?folder=" + Uri.EscapeDataString(folder) + "&uid=" + uid;
}
