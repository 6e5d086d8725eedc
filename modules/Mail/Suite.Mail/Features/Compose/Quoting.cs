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

    /// <summary>A reply to the sender and every other recipient, except the person replying (<paramref name="me"/>).</summary>
    public static Draft ReplyAll(OpenedMessage original, IStringLocalizer<MailText> text, string? me)
    {
        var reply = Reply(original, text);
        var envelope = original.Envelope;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (me is not null)
            seen.Add(me);
        var to = (envelope.ReplyTo.Count > 0 ? envelope.ReplyTo : envelope.From).Mailboxes.Concat(envelope.To.Mailboxes).Where(m => seen.Add(m.Address)).ToList();
        var cc = envelope.Cc.Mailboxes.Where(m => seen.Add(m.Address)).ToList();
        // Replying to all of one's own message (in Sent): its recipients, not oneself.
        if (to.Count == 0)
            to = [.. (envelope.ReplyTo.Count > 0 ? envelope.ReplyTo : envelope.From).Mailboxes];
        return reply with { To = string.Join(", ", to.Select(m => m.ToString())), Cc = string.Join(", ", cc.Select(m => m.ToString())) };
    }

    /// <summary>A saved draft back in the form: its recipients, subject and text as they were saved.</summary>
    public static Draft Reopen(OpenedMessage draft) => new(
        MessageList.Describe(draft.Envelope.To),
        MessageList.Describe(draft.Envelope.Cc),
        draft.Envelope.Subject ?? "",
        draft.Text ?? string.Join("\n", Lines(draft)));

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
        var body = original.Text ?? (original.Html is { } html ? PlainText(html) : null) ?? "";
        return body.ReplaceLineEndings("\n").TrimEnd().Split('\n');
    }

    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase)
        { "P", "DIV", "BR", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "TR", "BLOCKQUOTE", "PRE", "TABLE", "UL", "OL", "HR" };

    /// <summary>The text a person reads in an HTML mail: no script or style content, one line per block.</summary>
    internal static string PlainText(string html)
    {
        var document = new HtmlParser().ParseDocument(html);
        foreach (var hidden in document.QuerySelectorAll("script, style, head, template, noscript").ToList())
            hidden.Remove();
        var text = new StringBuilder();
        void Walk(AngleSharp.Dom.INode node)
        {
            foreach (var child in node.ChildNodes)
            {
                if (child is AngleSharp.Dom.IText t)
                {
                    text.Append(System.Text.RegularExpressions.Regex.Replace(t.Data, @"\s+", " "));
                    continue;
                }
                var block = child is AngleSharp.Dom.IElement e && Blocks.Contains(e.TagName);
                if (block && text.Length > 0 && text[^1] != '\n')
                    text.Append('\n');
                Walk(child);
                if (block && text.Length > 0 && text[^1] != '\n')
                    text.Append('\n');
            }
        }
        if (document.Body is { } body)
            Walk(body);
        var lines = text.ToString().Split('\n').Select(l => l.Trim());
        return string.Join("\n", lines).Trim();
    }
}
