using Microsoft.Extensions.Localization;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Connection;

namespace Suite.Mail.Features.Compose;

/// <summary>The contract other modules send through: the current user's mailbox, their ministry's servers.</summary>
internal sealed class MailSender(Composer composer, IStringLocalizer<MailText> text) : IMailSender
{
    public async Task<MailSendResult> SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var draft = new Draft(string.Join(", ", mail.To), string.Join(", ", mail.Cc ?? []), mail.Subject, mail.TextBody, mail.HtmlBody);
        var files = (mail.Attachments ?? []).Select(a => new DraftFile(a.FileName, a.ContentType, () => new MemoryStream(a.Content, writable: false))).ToList();
        var outcome = await composer.SendAsync(draft, files, cancellationToken: cancellationToken);
        if (outcome.Sent)
            return MailSendResult.Success;
        if (outcome.FieldErrors.Count > 0)
            return new MailSendResult(false, string.Join(" ", outcome.FieldErrors.Values.Select(key => text[key].Value)));
        return new MailSendResult(false, Describe(text, outcome.Failure!));
    }

    public static string Describe(IStringLocalizer<MailText> text, MailUnavailableException failure) =>
        failure.Detail is { Length: > 0 } detail ? text[failure.Key + ".Detail", detail] : text[failure.Key];
}
