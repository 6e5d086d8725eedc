using Suite.Mail.Features.Messages;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;
using Suite.Testing;

namespace Suite.Mail.Tests;

/// <summary>Search, paging and conversations in the message list, against the real Dovecot.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class SearchAndThreadTests(MailPortal world)
{
    [Fact]
    public async Task Search_finds_messages_by_subject_sender_or_body_across_pages_and_pages_keep_the_search()
    {
        var mailbox = world.Server.NextUser();
        var total = MessageList.PageSize + 7;
        var messages = Enumerable.Range(1, total).Select(i => Message(
            subject: i % 10 == 3 ? $"Budget {i}" : $"Point {i}",
            from: i == 5 ? "marie.curie@recherche.test" : "agent@interieur.test",
            body: i % 8 == 0 ? $"Le rapport d'été numéro {i}." : $"Texte ordinaire {i}.")).ToList();
        await AppendAsync(mailbox, messages);
        using var alice = await world.SignInAsync("alice@interieur.test");
        await MailPortal.SaveMailboxAsync(alice, mailbox);

        var first = await alice.GetAsync("/mail");
        Assert.Equal(MessageList.PageSize, first.Document.QuerySelectorAll("#messages tbody tr").Length);
        var next = first.Document.QuerySelector("#message-pages a[rel=next]")!.GetAttribute("href")!;
        var second = await alice.GetAsync(next);
        Assert.Equal(total - MessageList.PageSize, second.Document.QuerySelectorAll("#messages tbody tr").Length);
        Assert.Empty(Subjects(first).Intersect(Subjects(second)));

        Assert.Equal(Expected(messages, m => m.Subject!.StartsWith("Budget", StringComparison.Ordinal)), Subjects(await alice.GetAsync("/mail?folder=INBOX&q=budget")));
        Assert.Equal(["Point 5"], Subjects(await alice.GetAsync("/mail?folder=INBOX&q=" + Uri.EscapeDataString("marie.curie"))));
        var summer = await alice.GetAsync("/mail?folder=INBOX&q=" + Uri.EscapeDataString("rapport d'été"));
        Assert.Equal(Expected(messages, m => m.TextBody!.Contains("été", StringComparison.Ordinal)), Subjects(summer));
        Assert.Contains($"{Subjects(summer).Count} message(s) trouvé(s)", summer.Document.QuerySelector("#search-summary")!.TextContent);
        Assert.Equal("rapport d'été", summer.Document.QuerySelector("#mail-search-input")!.GetAttribute("value"));
        var none = await alice.GetAsync("/mail?folder=INBOX&q=introuvable");
        Assert.Empty(none.Document.QuerySelectorAll("#messages tbody tr"));
        Assert.Contains("Aucun message ne correspond", none.Text);

        // A search that spans two pages keeps the search in the page links.
        var everyPoint = await alice.GetAsync("/mail?folder=INBOX&q=point");
        var pointNext = everyPoint.Document.QuerySelector("#message-pages a[rel=next]")!.GetAttribute("href")!;
        Assert.Contains("q=point", pointNext);
        var pointSecond = await alice.GetAsync(pointNext);
        Assert.All(Subjects(pointSecond), s => Assert.StartsWith("Point", s));
        Assert.Equal(messages.Count(m => m.Subject!.StartsWith("Point", StringComparison.Ordinal)),
            Subjects(everyPoint).Count + Subjects(pointSecond).Count);
    }

    [Fact]
    public async Task Replies_are_listed_under_the_message_they_answer_and_the_conversation_by_its_latest_message()
    {
        var mailbox = world.Server.NextUser();
        var root = Message("Question budgétaire", "chef@interieur.test", "Pouvez-vous vérifier ?", id: "racine@interieur.test");
        var unrelated = Message("Autre sujet", "autre@interieur.test", "Rien à voir.");
        var reply = Message("Re: Question budgétaire", "agent@interieur.test", "C'est vérifié.", id: "reponse@interieur.test", inReplyTo: "racine@interieur.test");
        var answer = Message("Re: Question budgétaire", "chef@interieur.test", "Merci.", inReplyTo: "reponse@interieur.test");
        await AppendAsync(mailbox, [root, unrelated, reply, answer]);
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);

        var inbox = await bob.GetAsync("/mail");
        var rows = inbox.Document.QuerySelectorAll("#messages tbody tr").ToList();
        Assert.Equal(
            [("Question budgétaire", "0"), ("Re: Question budgétaire", "1"), ("Re: Question budgétaire", "2"), ("Autre sujet", "0")],
            rows.Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.GetAttribute("data-depth")!)));
        Assert.Equal(rows[0].GetAttribute("data-uid"), rows[2].GetAttribute("data-thread"));
        Assert.Contains("Réponse dans la conversation", rows[1].TextContent);
    }

    [Fact]
    public async Task A_reply_whose_original_would_fall_on_another_page_is_listed_under_it_and_searches_thread_only_their_results()
    {
        var mailbox = world.Server.NextUser();
        var original = Message("Inventaire du mobilier", "chef@interieur.test", "Merci de compter les chaises.", id: "inventaire@interieur.test");
        var others = Enumerable.Range(1, MessageList.PageSize + 4).Select(i => Message($"Note de service {i}", "rh@interieur.test", $"Texte {i}.")).ToList();
        var reply = Message("Re: Inventaire du mobilier", "agent@interieur.test", "Douze chaises comptées.", inReplyTo: "inventaire@interieur.test");
        await AppendAsync(mailbox, [original, .. others, reply]);
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);

        // By date the reply is the newest message and its original the oldest, 30 messages apart: the conversation
        // comes first, whole, with the original above its reply.
        var first = await bob.GetAsync("/mail");
        var rows = first.Document.QuerySelectorAll("#messages tbody tr").ToList();
        Assert.Equal(MessageList.PageSize + 1, rows.Count);
        Assert.Equal(
            [("Inventaire du mobilier", "0"), ("Re: Inventaire du mobilier", "1"), ("Note de service 29", "0")],
            rows.Take(3).Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.GetAttribute("data-depth")!)));
        Assert.Equal(rows[0].GetAttribute("data-uid"), rows[1].GetAttribute("data-thread"));
        Assert.Equal("true", rows[0].GetAttribute("data-unread"));
        Assert.Equal((others.Count + 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            first.Document.QuerySelector("#mail-folders li[data-folder='INBOX']")!.GetAttribute("data-unread"));
        var second = await bob.GetAsync(first.Document.QuerySelector("#message-pages a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal(["Note de service 5", "Note de service 4", "Note de service 3", "Note de service 2", "Note de service 1"], Subjects(second));

        // A search threads only what it found: both messages of the conversation, or the reply alone.
        var both = await bob.GetAsync("/mail?folder=INBOX&q=inventaire");
        Assert.Equal([("Inventaire du mobilier", "0"), ("Re: Inventaire du mobilier", "1")],
            both.Document.QuerySelectorAll("#messages tbody tr").Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.GetAttribute("data-depth")!)));
        Assert.Contains("2 message(s) trouvé(s)", both.Document.QuerySelector("#search-summary")!.TextContent);
        var replyOnly = await bob.GetAsync("/mail?folder=INBOX&q=" + Uri.EscapeDataString("chaises comptées"));
        Assert.Equal([("Re: Inventaire du mobilier", "0")],
            replyOnly.Document.QuerySelectorAll("#messages tbody tr").Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.GetAttribute("data-depth")!)));
    }

    [Fact]
    public async Task Without_server_threading_replies_are_grouped_within_their_page()
    {
        var mailbox = world.Server.PlainImapUser;
        await using (var imap = await world.Server.ConnectImapAsync(mailbox))
            Assert.False(imap.CanThread(ImapClient.ThreadReferences));
        var original = Message("Inventaire des archives", "chef@interieur.test", "Merci de compter les cartons.", id: "archives@interieur.test");
        var others = Enumerable.Range(1, MessageList.PageSize + 4).Select(i => Message($"Circulaire {i}", "rh@interieur.test", $"Texte {i}.")).ToList();
        var reply = Message("Re: Inventaire des archives", "agent@interieur.test", "Quarante cartons.", id: "cartons@interieur.test", inReplyTo: "archives@interieur.test");
        var thanks = Message("Re: Inventaire des archives", "chef@interieur.test", "Merci.", inReplyTo: "cartons@interieur.test");
        await AppendAsync(mailbox, [original, .. others, reply, thanks]);
        using var dora = await world.SignInAsync("dora@interieur.test");
        await MailPortal.SaveMailboxAsync(dora, mailbox);

        // Pages of messages, newest first: the reply and its answer are grouped on the first page, the original
        // is alone on the last one.
        var first = await dora.GetAsync("/mail");
        var rows = first.Document.QuerySelectorAll("#messages tbody tr").ToList();
        Assert.Equal(MessageList.PageSize, rows.Count);
        Assert.Equal([("Re: Inventaire des archives", "0"), ("Re: Inventaire des archives", "1"), ("Circulaire 29", "0")],
            rows.Take(3).Select(r => (r.QuerySelector("a")!.TextContent.Trim(), r.GetAttribute("data-depth")!)));
        var second = await dora.GetAsync(first.Document.QuerySelector("#message-pages a[rel=next]")!.GetAttribute("href")!);
        Assert.Equal("Inventaire des archives", Subjects(second)[^1]);
        Assert.Equal(others.Count + 3 - MessageList.PageSize, Subjects(second).Count);
    }

    [Fact]
    public void A_loop_of_in_reply_to_headers_does_not_hang_or_lose_messages()
    {
        static ImapMessageSummary Summary(uint uid, string id, string parent) => new()
        {
            Uid = uid,
            Envelope = new ImapEnvelope(null, "Boucle " + uid, AddressList.Empty, AddressList.Empty, AddressList.Empty, AddressList.Empty, AddressList.Empty, AddressList.Empty, $"<{parent}>", $"<{id}>"),
        };
        var rows = MessageList.Threads([Summary(1, "a@x", "b@x"), Summary(2, "b@x", "a@x"), Summary(3, "c@x", "c@x")]);
        Assert.Equal([1u, 2u, 3u], rows.Select(r => r.Uid).Order());
    }

    private static MimeMessageBuilder Message(string subject, string from, string body, string? id = null, string? inReplyTo = null)
    {
        var message = new MimeMessageBuilder { From = new MailboxAddress(null, from), Subject = subject, TextBody = body, MessageId = id, InReplyTo = inReplyTo };
        message.To.Add(new MailboxAddress(null, "destinataire@" + MailServerFixture.Domain));
        if (inReplyTo is not null)
            message.References.Add(inReplyTo);
        return message;
    }

    private async Task AppendAsync(MailUser user, IReadOnlyList<MimeMessageBuilder> messages)
    {
        await using var imap = await world.Server.ConnectImapAsync(user);
        foreach (var message in messages)
        {
            using var raw = new MemoryStream();
            await message.WriteToAsync(raw);
            raw.Position = 0;
            await imap.AppendAsync("INBOX", raw);
        }
    }

    /// <summary>The subjects a search should list, newest (last appended) first.</summary>
    private static List<string> Expected(IEnumerable<MimeMessageBuilder> messages, Func<MimeMessageBuilder, bool> match) =>
        [.. messages.Where(match).Select(m => m.Subject!).Reverse()];

    private static List<string> Subjects(PortalClient.Page page) =>
        [.. page.Document.QuerySelectorAll("#messages tbody tr a").Select(a => a.TextContent.Trim())];
}
