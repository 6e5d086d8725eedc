using System.Text;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Integration;

/// <summary>UID THREAD REFERENCES against the real Dovecot.</summary>
[Collection(MailServerCollection.Name)]
public sealed class ImapThreadIntegrationTests(MailServerFixture server)
{
    [Fact]
    public async Task Dovecot_threads_replies_under_their_original_and_threads_only_the_search_result()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        Assert.True(client.CanThread());
        var original = await AppendAsync(client, "Réunion de service", "orig@suite.test", null, "Ordre du jour.");
        var other = await AppendAsync(client, "Congés d'été", "conges@suite.test", null, "Planning.");
        var reply = await AppendAsync(client, "Re: Réunion de service", "rep1@suite.test", "orig@suite.test", "Je serai là.");
        var second = await AppendAsync(client, "Re: Réunion de service", "rep2@suite.test", "orig@suite.test", "Absent, désolé.");
        var deeper = await AppendAsync(client, "Re: Re: Réunion de service", "rep3@suite.test", "rep1@suite.test", "Merci.");
        await client.ExamineAsync("INBOX");

        var all = await client.UidThreadAsync(ImapSearchQuery.All);

        var meeting = Assert.Single(all, t => t.Uid == original);
        Assert.Equal([(original, 0), (reply, 1), (deeper, 2), (second, 1)], meeting.Flatten());
        var alone = Assert.Single(all, t => t.Uid == other);
        Assert.Empty(alone.Children);
        Assert.Equal(2, all.Count);

        // Only the matching messages are threaded (a search with a non-ASCII word goes as UTF-8).
        var absent = await client.UidThreadAsync(ImapSearchQuery.Body("désolé"));
        Assert.Equal([second], Assert.Single(absent).Uids());
        // Without their original, its two replies are siblings under a parent known only through their references.
        var replies = await client.UidThreadAsync(ImapSearchQuery.Not(ImapSearchQuery.Uids([original])));
        var orphans = Assert.Single(replies, t => t.Uid is null);
        Assert.Equal([(reply, 0), (deeper, 1), (second, 0)], orphans.Flatten());
        Assert.Contains(replies, t => t.Uid == other);
        Assert.Empty(await client.UidThreadAsync(ImapSearchQuery.Subject("introuvable")));
    }

    private static async Task<uint> AppendAsync(ImapClient client, string subject, string id, string? inReplyTo, string body)
    {
        var headers = new StringBuilder()
            .Append("From: agent@").Append(MailServerFixture.Domain).Append("\r\n")
            .Append("Subject: =?utf-8?B?").Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(subject))).Append("?=\r\n")
            .Append("Message-ID: <").Append(id).Append(">\r\n")
            .Append("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n");
        if (inReplyTo is not null)
        {
            headers.Append("In-Reply-To: <").Append(inReplyTo).Append(">\r\nReferences: <").Append(inReplyTo).Append(">\r\n");
        }

        var raw = Encoding.UTF8.GetBytes(headers.Append("\r\n").Append(body).Append("\r\n").ToString());
        return (await client.AppendAsync("INBOX", new MemoryStream(raw)))!.Value;
    }
}
