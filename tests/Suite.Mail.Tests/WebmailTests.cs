using System.Net;
using System.Security.Cryptography;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Tests;

/// <summary>The webmail over HTTP, as civil servants of two ministries use it, against a real Postfix + Dovecot.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class WebmailTests(MailPortal world)
{
    [Fact]
    public async Task A_member_reads_an_html_message_with_an_attachment_and_replies_with_one_that_reaches_sent_and_the_recipient()
    {
        var mailbox = world.Server.NextUser();
        var correspondent = world.Server.NextUser();
        using var alice = await world.SignInAsync("alice@interieur.test");
        var saved = await MailPortal.SaveMailboxAsync(alice, mailbox);
        Assert.Equal("/mail?done=account", saved.Path);
        Assert.Contains("vérifiée et enregistrée", saved.Text);

        var report = RandomNumberGenerator.GetBytes(300_000);
        var incoming = new MimeMessageBuilder
        {
            From = new MailboxAddress("Zoé Lambert", correspondent.Address),
            Subject = "Rapport trimestriel été",
            TextBody = "Bonjour Alice, voici le rapport.",
            HtmlBody = "<p>Bonjour <b>Alice</b>, voici le rapport.</p><script>alert('xss')</script><img src=\"https://tracker.example/pixel.gif\" alt=\"pixel\"><a href=\"javascript:alert(1)\" onclick=\"steal()\">lien</a>",
        };
        incoming.To.Add(new MailboxAddress("Alice Martin", mailbox.Address));
        incoming.AddAttachment("rapport été.pdf", "application/pdf", report);
        await world.SendAsync(correspondent, incoming);
        await world.WaitForAsync(mailbox, "INBOX", "Rapport trimestriel été");

        var inbox = await alice.GetAsync("/mail");
        Assert.Equal(HttpStatusCode.OK, inbox.Status);
        var inboxEntry = inbox.Document.QuerySelector("#mail-folders li[data-folder='INBOX']")!;
        Assert.Contains("Boîte de réception", inboxEntry.TextContent);
        Assert.Equal("1", inboxEntry.GetAttribute("data-unread"));
        Assert.Contains("Envoyés", inbox.Document.QuerySelector("#mail-folders")!.TextContent);
        var row = Assert.Single(inbox.Document.QuerySelectorAll("#messages tbody tr"));
        Assert.Equal("true", row.GetAttribute("data-unread"));
        Assert.Contains("Zoé Lambert", row.TextContent);
        Assert.Contains("Pièce jointe", row.TextContent);

        var message = await alice.GetAsync(row.QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, message.Status);
        Assert.Equal("Rapport trimestriel été", message.Document.QuerySelector("#message-subject")!.TextContent);
        Assert.Contains(correspondent.Address, message.Document.QuerySelector("#message-from")!.TextContent);
        Assert.NotNull(message.Document.QuerySelector("#show-images"));
        var frame = message.Document.QuerySelector("iframe#message-html")!;
        // No script in the frame, ever (same origin only lets its inline images come with the session).
        Assert.Equal("allow-same-origin allow-popups allow-popups-to-escape-sandbox", frame.GetAttribute("sandbox"));

        using (var html = await alice.RawGetAsync(frame.GetAttribute("src")!))
        {
            Assert.Equal(HttpStatusCode.OK, html.StatusCode);
            var body = await html.Content.ReadAsStringAsync();
            Assert.Contains("<b>Alice</b>", body);
            Assert.DoesNotContain("<script", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("onclick", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(" src=\"https://tracker.example", body, StringComparison.Ordinal);
            Assert.Contains("data-blocked-src=\"https://tracker.example", body, StringComparison.Ordinal);
            var policy = string.Join(";", html.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", policy);
            Assert.Contains("img-src 'self' data:;", policy);
            Assert.Contains("sandbox", policy);
        }

        var link = message.Document.QuerySelector("#message-attachments a")!;
        Assert.Contains("rapport été.pdf", link.TextContent);
        using (var download = await alice.RawGetAsync(link.GetAttribute("href")!))
        {
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
            Assert.Equal(report, await download.Content.ReadAsByteArrayAsync());
        }

        // Opening the message marked it read.
        Assert.Equal("0", (await alice.GetAsync("/mail")).Document.QuerySelector("#mail-folders li[data-folder='INBOX']")!.GetAttribute("data-unread"));

        var replyForm = await alice.GetAsync(message.Document.QuerySelector("#message-reply")!.GetAttribute("href")!);
        Assert.Contains(correspondent.Address, replyForm.Document.QuerySelector("#compose-to")!.GetAttribute("value"));
        Assert.Equal("Re: Rapport trimestriel été", replyForm.Document.QuerySelector("#compose-subject")!.GetAttribute("value"));
        Assert.Contains("> Bonjour Alice", replyForm.Document.QuerySelector("#compose-body")!.TextContent);
        var answer = RandomNumberGenerator.GetBytes(50_000);
        var sent = await alice.SubmitOnAsync(replyForm, "#compose", new Dictionary<string, string>
        {
            ["to"] = replyForm.Document.QuerySelector("#compose-to")!.GetAttribute("value")!,
            ["cc"] = "",
            ["subject"] = "Re: Rapport trimestriel été",
            ["body"] = "Merci, voici mes remarques.\n\n" + replyForm.Document.QuerySelector("#compose-body")!.TextContent,
        }, file: ("attachments", "remarques.odt", answer));
        Assert.True(sent.Path == "/mail?done=sent", $"Sending ended on {sent.Path}: {sent.Text}");
        Assert.Contains("Message envoyé", sent.Text);

        var received = await world.WaitForAsync(correspondent, "INBOX", "Re: Rapport trimestriel été");
        Assert.Equal(mailbox.Address, received.Envelope!.From.Mailboxes.Single().Address);
        Assert.Equal("remarques.odt", received.Body!.Leaves().Single(p => p.IsAttachment).FileName);
        var copy = await world.WaitForAsync(mailbox, "Sent", "Re: Rapport trimestriel été");
        Assert.True(copy.HasFlag(ImapFlags.Seen));

        var sentFolder = await alice.GetAsync("/mail?folder=Sent");
        Assert.Contains("Zoé Lambert", Assert.Single(sentFolder.Document.QuerySelectorAll("#messages tbody tr")).TextContent);
        await using var imap = await world.Server.ConnectImapAsync(mailbox);
        await imap.ExamineAsync("INBOX");
        var original = (await imap.UidFetchAsync((await imap.UidSearchAsync(ImapSearchQuery.All)).Uids, ImapFetchItems.Flags)).Single();
        Assert.True(original.HasFlag(ImapFlags.Answered));
    }

    [Fact]
    public async Task Flags_move_and_delete_act_on_the_real_mailbox()
    {
        var mailbox = world.Server.NextUser();
        var sender = world.Server.NextUser();
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);
        foreach (var subject in new[] { "Premier", "Second" })
        {
            var message = new MimeMessageBuilder { From = new MailboxAddress(null, sender.Address), Subject = subject, TextBody = "Texte de " + subject };
            message.To.Add(new MailboxAddress(null, mailbox.Address));
            await world.SendAsync(sender, message);
            await world.WaitForAsync(mailbox, "INBOX", subject);
        }
        var inbox = await bob.GetAsync("/mail");
        var rows = inbox.Document.QuerySelectorAll("#messages tbody tr").ToList();
        Assert.Equal(["Second", "Premier"], rows.Select(r => r.QuerySelector("a")!.TextContent.Trim()));

        var second = await bob.GetAsync(rows[0].QuerySelector("a")!.GetAttribute("href")!);
        Assert.Equal("Texte de Second", second.Document.QuerySelector("#message-text")!.TextContent.Trim());
        var starred = await bob.SubmitOnAsync(second, "#message-flags", new Dictionary<string, string>(), ("flag", "star"));
        Assert.NotNull(starred.Document.QuerySelector("#message-flags button[value=unstar]"));
        var unread = await bob.SubmitOnAsync(starred, "#message-flags", new Dictionary<string, string>(), ("flag", "unread"));
        var secondRow = unread.Document.QuerySelector($"#messages tbody tr[data-uid='{rows[0].GetAttribute("data-uid")}']")!;
        Assert.Equal("true", secondRow.GetAttribute("data-unread"));
        Assert.Equal("true", secondRow.GetAttribute("data-starred"));

        var moved = await bob.SubmitOnAsync(await bob.GetAsync(secondRow.QuerySelector("a")!.GetAttribute("href")!), "#message-move", new Dictionary<string, string> { ["target"] = "Archive" });
        Assert.Contains("Message déplacé", moved.Text);
        Assert.Single(moved.Document.QuerySelectorAll("#messages tbody tr"));
        Assert.Single((await bob.GetAsync("/mail?folder=Archive")).Document.QuerySelectorAll("#messages tbody tr"));

        var first = await bob.GetAsync(moved.Document.QuerySelector("#messages tbody tr a")!.GetAttribute("href")!);
        var deleted = await bob.SubmitOnAsync(first, "#message-delete", new Dictionary<string, string>());
        Assert.Contains("Message supprimé", deleted.Text);
        Assert.Empty(deleted.Document.QuerySelectorAll("#messages tbody tr"));
        var trash = await bob.GetAsync("/mail?folder=Trash");
        Assert.Contains("Corbeille", trash.Document.QuerySelector("#folder-title")!.TextContent);
        Assert.Contains("Premier", Assert.Single(trash.Document.QuerySelectorAll("#messages tbody tr")).TextContent);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_clearly_and_a_bad_compose_form_keeps_what_was_typed()
    {
        var mailbox = world.Server.NextUser();
        using var dora = await world.SignInAsync("dora@interieur.test");
        Assert.Equal("/mail/account", (await dora.GetAsync("/mail")).Path);

        var refused = await MailPortal.SaveMailboxAsync(dora, mailbox, "pas-le-bon");
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Contains("Rien n'a été enregistré", refused.Text);
        Assert.Contains("mot de passe refusé", refused.Text);
        Assert.DoesNotContain("Exception", refused.Text);
        Assert.Equal(mailbox.Address, refused.Document.QuerySelector("#mail-login")!.GetAttribute("value"));
        Assert.Equal("/mail/account", (await dora.GetAsync("/mail")).Path);

        await MailPortal.SaveMailboxAsync(dora, mailbox);
        var bad = await dora.SubmitAsync("/mail/compose", "#compose", new Dictionary<string, string>
        {
            ["to"] = "pas une adresse", ["cc"] = "", ["subject"] = "Brouillon précieux", ["body"] = "Un long texte à ne pas perdre.",
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.NotNull(bad.Document.QuerySelector("#compose-to-error"));
        Assert.Equal("pas une adresse", bad.Document.QuerySelector("#compose-to")!.GetAttribute("value"));
        Assert.Equal("Brouillon précieux", bad.Document.QuerySelector("#compose-subject")!.GetAttribute("value"));
        Assert.Equal("Un long texte à ne pas perdre.", bad.Document.QuerySelector("#compose-body")!.TextContent);
    }

    [Fact]
    public async Task A_member_of_a_ministry_without_the_module_is_refused_the_webmail_and_its_api()
    {
        using var carla = await world.SignInAsync("carla@culture.test");
        foreach (var path in new[] { "/mail", "/mail/account", "/mail/compose", "/mail/read?folder=INBOX&uid=1", "/api/mail/html?folder=INBOX&uid=1", "/api/mail/part?folder=INBOX&uid=1&section=2" })
        {
            using var response = await carla.RawGetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"carla got {(int)response.StatusCode} at {path}");
        }
        var home = await carla.GetAsync("/");
        Assert.DoesNotContain("href=\"/mail\"", home.Html);
    }
}
