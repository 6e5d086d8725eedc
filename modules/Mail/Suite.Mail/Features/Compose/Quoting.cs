using System.Text;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.Localization;
using Suite.Mail.Features.Messages;
using Suite.Mail.Features.Reading;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Features.Compose;

/// <summary>The pre-filled form of a reply or a forward: recipients, subject and the original text quoted.</summary>
internal static class Quoting
{
    public static Draft Reply(OpenedMessage original, IStringLocalizer<MailText> text)
    {
        var envelope = original.Envelope;
        var to = envelope.ReplyTo.Count > 0 ? envelope.ReplyTo : envelope.From;
        var intro = text["Compose.QuoteIntro", When(original), MessageList.Describe(envelope.From)];
        var quoted = string.Join("\n", Lines(original).Select(line => "> " + line));
        return new Draft(MessageList.Describe(to), "", MimeMessageBuilder.ReplySubject(envelope.Subject), $"\n\n{intro}\n{quoted}\n");
    }

    public static Draft Forward(OpenedMessage original, IStringLocalizer<MailText> text)
    {
        var envelope = original.Envelope;
        var header = new StringBuilder()
            .Append("\n\n---------- ").Append(text["Compose.ForwardedMessage"]).Append(" ----------\n")
            .Append(text["Read.From"]).Append(" : ").Append(MessageList.Describe(envelope.From)).Append('\n')
            .Append(text["Read.Date"]).Append(" : ").Append(When(original)).Append('\n')
            .Append(text["Compose.Subject"]).Append(" : ").Append(envelope.Subject).Append('\n')
            .Append(text["Read.To"]).Append(" : ").Append(MessageList.Describe(envelope.To)).Append("\n\n");
        var subject = (envelope.Subject ?? "").Trim();
        if (!subject.StartsWith("fwd:", StringComparison.OrdinalIgnoreCase) && !subject.StartsWith("tr:", StringComparison.OrdinalIgnoreCase))
            subject = "Fwd: " + subject;
        return new Draft("", "", subject, header.Append(string.Join("\n", Lines(original))).Append('\n').ToString());
    }

    private static string When(OpenedMessage original) => original.Envelope.Date?.ToLocalTime().ToString("f") ?? "";

    private static IEnumerable<string> Lines(OpenedMessage original)
    {
        var body = original.Text ?? (original.Html is { } html ? new HtmlParser().ParseDocument(html).Body?.TextContent : null) ?? "";
        return body.ReplaceLineEndings("\n").TrimEnd().Split('\n');
    }
}
