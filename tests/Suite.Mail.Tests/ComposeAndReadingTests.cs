using System.Net;
using System.Text;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;
using Suite.Testing;

namespace Suite.Mail.Tests;

/// <summary>Reply-all, archive, drafts, inline images and remote images, over HTTP against the real Postfix + Dovecot.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class ComposeAndReadingTests(MailPortal world)
{
    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task Reply_all_goes_to_the_sender_and_every_other_recipient_but_never_to_oneself()
    {
        var mailbox = world.Server.NextUser();
        var sender = world.Server.NextUser();
        var colleague = world.Server.NextUser();
        var copied = world.Server.NextUser();
        using var alice = await world.SignInAsync("alice@interieur.test");
        await MailPortal.SaveMailboxAsync(alice, mailbox);
        var incoming = new MimeMessageBuilder { From = new MailboxAddress("Expéditrice", sender.Address), Subject = "Réunion de service", TextBody = "Qui vient jeudi ?" };
        incoming.To.Add(new MailboxAddress(null, mailbox.Address));
        incoming.To.Add(new MailboxAddress("Collègue", colleague.Address));
        incoming.Cc.Add(new MailboxAddress(null, copied.Address));
        await world.SendAsync(sender, incoming);
        await world.WaitForAsync(mailbox, "INBOX", "Réunion de service");

        var read = await OpenAsync(alice, "Réunion de service");
        var form = await alice.GetAsync(read.Document.QuerySelector("#message-reply-all")!.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, form.Status);
        var to = form.Document.QuerySelector("#compose-to")!.GetAttribute("value")!;
        var cc = form.Document.QuerySelector("#compose-cc")!.GetAttribute("value")!;
        Assert.Contains(sender.Address, to);
        Assert.Contains(colleague.Address, to);
        Assert.Contains(copied.Address, cc);
        Assert.DoesNotContain(mailbox.Address, to + cc);
        Assert.Equal("Re: Réunion de service", form.Document.QuerySelector("#compose-subject")!.GetAttribute("value"));

        var sent = await alice.SubmitOnAsync(form, "#compose", new Dictionary<string, string>
        {
            ["to"] = to, ["cc"] = cc, ["subject"] = "Re: Réunion de service", ["body"] = "Je viens.",
        });
        Assert.Equal("/mail?done=sent", sent.Path);
        foreach (var recipient in new[] { sender, colleague, copied })
            Assert.Equal(mailbox.Address, (await world.WaitForAsync(recipient, "INBOX", "Re: Réunion de service")).Envelope!.From.Mailboxes.Single().Address);
        await AssertNoMessageAsync(mailbox, "INBOX", "Re: Réunion de service");
    }

    [Fact]
    public async Task Archive_moves_the_message_to_the_archive_folder()
    {
        var mailbox = world.Server.NextUser();
        var sender = world.Server.NextUser();
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);
        await DeliverAsync(sender, mailbox, "À ranger", "Texte à archiver");

        var read = await OpenAsync(bob, "À ranger");
        var archived = await bob.SubmitOnAsync(read, "#message-archive", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, archived.Status);
        Assert.Contains("Message archivé", archived.Text);
        Assert.Empty(archived.Document.QuerySelectorAll("#messages tbody tr"));
        await world.WaitForAsync(mailbox, "Archive", "À ranger");
        var archive = await bob.GetAsync("/mail?folder=Archive");
        Assert.Contains("Archives", archive.Document.QuerySelector("#folder-title")!.TextContent);
        var again = await OpenAsync(bob, "À ranger", "Archive");
        var refused = await bob.SubmitOnAsync(again, "#message-archive", new Dictionary<string, string>());
        Assert.Contains("déjà dans les archives", refused.Text);
    }

    [Fact]
    public async Task A_draft_is_saved_with_its_attachment_reopened_from_drafts_and_sent_which_empties_drafts()
    {
        var mailbox = world.Server.NextUser();
        var recipient = world.Server.NextUser();
        using var dora = await world.SignInAsync("dora@interieur.test");
        await MailPortal.SaveMailboxAsync(dora, mailbox);
        var annex = Encoding.UTF8.GetBytes("Annexe du brouillon.\n");

        var saved = await dora.SubmitAsync("/mail/compose", "#compose", new Dictionary<string, string>
        {
            ["to"] = "", ["cc"] = "", ["subject"] = "Projet de note", ["body"] = "Première version, à compléter.",
        }, ("action", "draft"), ("attachments", "annexe.txt", annex));
        Assert.Equal(HttpStatusCode.OK, saved.Status);
        Assert.Contains("Brouillon enregistré", saved.Text);
        Assert.Equal("Projet de note", saved.Document.QuerySelector("#compose-subject")!.GetAttribute("value"));
        Assert.Equal("Première version, à compléter.", saved.Document.QuerySelector("#compose-body")!.TextContent);
        Assert.Contains("annexe.txt", saved.Document.QuerySelector("#compose-forwarded")!.TextContent);
        var draft = await world.WaitForAsync(mailbox, "Drafts", "Projet de note");
        Assert.True(draft.HasFlag(ImapFlags.Draft));
        Assert.Equal("annexe.txt", draft.Body!.Leaves().Single(p => p.IsAttachment).FileName);

        // Saving again replaces the draft instead of piling up copies.
        var keep = saved.Document.QuerySelector("#compose-forwarded input[name=keep]")!.GetAttribute("value")!;
        var resaved = await dora.SubmitOnAsync(saved, "#compose", new Dictionary<string, string>
        {
            ["to"] = recipient.Address, ["cc"] = "", ["subject"] = "Projet de note", ["body"] = "Deuxième version.", ["keep"] = keep,
        }, ("action", "draft"));
        Assert.Contains("Brouillon enregistré", resaved.Text);
        Assert.Equal(1, await CountAsync(mailbox, "Drafts"));

        var drafts = await dora.GetAsync("/mail?folder=Drafts");
        var link = Assert.Single(drafts.Document.QuerySelectorAll("#messages tbody tr a"));
        Assert.StartsWith("/mail/compose?draft=", link.GetAttribute("href"));
        var reopened = await dora.GetAsync(link.GetAttribute("href")!);
        Assert.Contains(recipient.Address, reopened.Document.QuerySelector("#compose-to")!.GetAttribute("value"));
        Assert.Equal("Deuxième version.", reopened.Document.QuerySelector("#compose-body")!.TextContent.Trim());
        keep = reopened.Document.QuerySelector("#compose-forwarded input[name=keep]")!.GetAttribute("value")!;

        var sent = await dora.SubmitOnAsync(reopened, "#compose", new Dictionary<string, string>
        {
            ["to"] = recipient.Address, ["cc"] = "", ["subject"] = "Projet de note", ["body"] = "Version finale.", ["keep"] = keep,
        }, ("action", "send"));
        Assert.Equal("/mail?done=sent", sent.Path);
        var received = await world.WaitForAsync(recipient, "INBOX", "Projet de note");
        Assert.Equal("annexe.txt", received.Body!.Leaves().Single(p => p.IsAttachment).FileName);
        Assert.Equal(0, await CountAsync(mailbox, "Drafts"));
    }

    [Fact]
    public async Task A_send_the_server_refuses_keeps_the_text_and_one_draft_and_says_why()
    {
        var mailbox = world.Server.NextUser();
        using var alice = await world.SignInAsync("alice@interieur.test");
        await MailPortal.SaveMailboxAsync(alice, mailbox);
        var nobody = "personne-" + Guid.NewGuid().ToString("N")[..8] + "@" + MailServerFixture.Domain;
        var fields = new Dictionary<string, string> { ["to"] = nobody, ["cc"] = "", ["subject"] = "Texte précieux", ["body"] = "Trois paragraphes à ne pas perdre." };

        var failed = await alice.SubmitAsync("/mail/compose", "#compose", fields, ("action", "send"));
        Assert.Equal(HttpStatusCode.BadGateway, failed.Status);
        Assert.Contains("Le message n'est pas parti", failed.Text);
        Assert.Contains(nobody, failed.Text);
        Assert.NotNull(failed.Document.QuerySelector("#compose-draft-kept"));
        Assert.Equal("Trois paragraphes à ne pas perdre.", failed.Document.QuerySelector("#compose-body")!.TextContent);
        Assert.Equal(nobody, failed.Document.QuerySelector("#compose-to")!.GetAttribute("value"));
        await world.WaitForAsync(mailbox, "Drafts", "Texte précieux");

        // Trying again fails again, and still leaves one draft, not two.
        var again = await alice.SubmitOnAsync(failed, "#compose", fields, ("action", "send"));
        Assert.Equal(HttpStatusCode.BadGateway, again.Status);
        Assert.Equal(1, await CountAsync(mailbox, "Drafts"));
    }

    [Fact]
    public async Task Inline_images_come_from_the_portal_and_remote_images_only_once_allowed_for_that_message()
    {
        var mailbox = world.Server.NextUser();
        var sender = world.Server.NextUser();
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);
        var incoming = new MimeMessageBuilder { From = new MailboxAddress(null, sender.Address), Subject = "Logo et photo", TextBody = "Voir la version HTML." };
        var logo = incoming.AddInlineImage("logo.png", "image/png", Pixel);
        incoming.HtmlBody = $"<p>Notre logo : <img id=\"logo\" alt=\"logo\" src=\"cid:{logo}\"></p><img alt=\"inconnue\" src=\"cid:absent@example\"><img alt=\"photo\" src=\"https://images.example/photo.jpg\">";
        incoming.To.Add(new MailboxAddress(null, mailbox.Address));
        await world.SendAsync(sender, incoming);
        await world.WaitForAsync(mailbox, "INBOX", "Logo et photo");

        var read = await OpenAsync(bob, "Logo et photo");
        var frame = read.Document.QuerySelector("iframe#message-html")!;
        Assert.DoesNotContain("allow-scripts", frame.GetAttribute("sandbox"));
        var html = await HtmlAsync(bob, frame.GetAttribute("src")!);
        var inline = html.Document.QuerySelector("img[alt=logo]")!.GetAttribute("src")!;
        Assert.StartsWith("/api/mail/inline?", inline);
        Assert.Null(html.Document.QuerySelector("img[alt=inconnue]")!.GetAttribute("src"));
        Assert.Null(html.Document.QuerySelector("img[alt=photo]")!.GetAttribute("src"));
        Assert.Contains("img-src 'self' data:;", html.Policy);
        Assert.DoesNotContain("https:", html.Policy);

        using (var image = await bob.RawGetAsync(inline))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
            Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
            Assert.Equal("nosniff", string.Join("", image.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal(Pixel, await image.Content.ReadAsByteArrayAsync());
        }
        using (var missing = await bob.RawGetAsync(inline.Replace("cid=", "cid=autre", StringComparison.Ordinal)))
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        // The person allows the remote images of this message only.
        var shown = await bob.GetAsync(read.Document.QuerySelector("#show-images")!.GetAttribute("href")!);
        var allowed = await HtmlAsync(bob, shown.Document.QuerySelector("iframe#message-html")!.GetAttribute("src")!);
        Assert.Equal("https://images.example/photo.jpg", allowed.Document.QuerySelector("img[alt=photo]")!.GetAttribute("src"));
        Assert.Contains("https:", allowed.Policy);
        Assert.Null(shown.Document.QuerySelector("#show-images"));
        Assert.NotNull((await OpenAsync(bob, "Logo et photo")).Document.QuerySelector("#show-images"));

        // Someone who does not hold the mailbox gets nothing from the endpoint.
        using var carla = await world.SignInAsync("carla@culture.test");
        using var denied = await carla.RawGetAsync(inline);
        Assert.True(denied.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"carla got {(int)denied.StatusCode}");
    }

    [Fact]
    public void A_quoted_html_mail_keeps_one_line_per_paragraph_and_none_of_its_script_or_style()
    {
        var text = Suite.Mail.Features.Compose.Quoting.PlainText(
            "<html><head><style>p { color: red }</style></head><body><h2>Titre</h2><p>Bonjour <b>Alice</b>,</p><script>alert('x')</script><div>Ligne 2<br>Ligne 3</div></body></html>");
        Assert.Equal("Titre\nBonjour Alice,\nLigne 2\nLigne 3", text);
    }

    private sealed record Frame(AngleSharp.Html.Dom.IHtmlDocument Document, string Policy);

    private static async Task<Frame> HtmlAsync(PortalClient client, string src)
    {
        using var response = await client.RawGetAsync(src);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return new Frame(document, string.Join(";", response.Headers.GetValues("Content-Security-Policy")));
    }

    private static async Task<PortalClient.Page> OpenAsync(PortalClient client, string subject, string folder = "INBOX")
    {
        var list = await client.GetAsync("/mail?folder=" + folder);
        var link = list.Document.QuerySelectorAll("#messages tbody tr a").Single(a => a.TextContent.Trim() == subject);
        var page = await client.GetAsync(link.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return page;
    }

    private async Task DeliverAsync(MailUser from, MailUser to, string subject, string text)
    {
        var message = new MimeMessageBuilder { From = new MailboxAddress(null, from.Address), Subject = subject, TextBody = text };
        message.To.Add(new MailboxAddress(null, to.Address));
        await world.SendAsync(from, message);
        await world.WaitForAsync(to, "INBOX", subject);
    }

    private async Task<int> CountAsync(MailUser user, string folder)
    {
        await using var imap = await world.Server.ConnectImapAsync(user);
        await imap.ExamineAsync(folder);
        return (await imap.UidSearchAsync(ImapSearchQuery.All)).Uids.Count;
    }

    private async Task AssertNoMessageAsync(MailUser user, string folder, string subject)
    {
        await using var imap = await world.Server.ConnectImapAsync(user);
        await imap.ExamineAsync(folder);
        Assert.Empty((await imap.UidSearchAsync(ImapSearchQuery.Subject(subject))).Uids);
    }
}
