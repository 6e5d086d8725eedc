using System.Text;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Protocols.Tests.Integration;

[Collection(MailServerCollection.Name)]
public sealed class SmtpIntegrationTests(MailServerFixture server)
{
    private SmtpClientOptions SmtpOptions(MailTlsMode tls = MailTlsMode.StartTls) => new()
    {
        Host = "127.0.0.1",
        Port = server.SubmissionPort,
        Tls = tls,
        TlsServerName = "localhost",
        CertificateValidation = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == server.Certificate.GetCertHashString(),
        ClientDomain = "tests.suite.test",
        Timeout = TimeSpan.FromSeconds(30),
    };

    private async Task<SmtpClient> ConnectAsync(MailUser user)
    {
        var client = await SmtpClient.ConnectAsync(SmtpOptions());
        await client.AuthenticateAsync(user.Address, user.Password);
        return client;
    }

    [Fact]
    public async Task A_message_sent_through_postfix_is_read_back_over_imap()
    {
        var sender = server.NextUser();
        var recipient = server.NextUser();
        var raw = await ImapIntegrationTests.ComposeAsync("Envoi réel — pièce jointe", withAttachment: true, to: recipient.Address);
        await using var smtp = await ConnectAsync(sender);

        Assert.True(smtp.IsEncrypted);
        Assert.True(smtp.Supports("PIPELINING"));
        Assert.True(smtp.Supports("8BITMIME"));
        Assert.True(smtp.Supports("SMTPUTF8"));
        var result = await smtp.SendAsync(sender.Address, [recipient.Address], new MemoryStream(raw));
        await smtp.QuitAsync();

        Assert.Equal([recipient.Address], result.Accepted);
        Assert.Equal(250, result.FinalReply.Code);
        await using var imap = await server.ConnectImapAsync(recipient);
        var uid = await WaitForMessageAsync(imap, "INBOX");
        var summary = Assert.Single(await imap.UidFetchAsync([uid], ImapFetchItems.Envelope | ImapFetchItems.BodyStructure));
        Assert.Equal("Envoi réel — pièce jointe", summary.Envelope!.Subject);
        Assert.Equal("rapport été.pdf", summary.Body!.Leaves().Single(p => p.IsAttachment).FileName);
        var delivered = new MemoryStream();
        await imap.UidFetchBodyAsync(uid, "", delivered);
        var text = Encoding.UTF8.GetString(delivered.ToArray());
        Assert.Contains("Received: from tests.suite.test", text, StringComparison.Ordinal);
        Assert.EndsWith(Encoding.UTF8.GetString(raw), text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lines_starting_with_a_dot_and_a_large_body_arrive_intact()
    {
        var sender = server.NextUser();
        var recipient = server.NextUser();
        var body = new StringBuilder();
        body.Append("From: ").Append(sender.Address).Append("\r\nTo: ").Append(recipient.Address).Append("\r\nSubject: dots\r\n\r\n");
        body.Append(".\r\n..two dots\r\n.single\r\n");
        for (var i = 0; i < 40_000; i++)
        {
            body.Append(i % 100 == 0 ? "." : string.Empty).Append("line ").Append(i).Append(" of a long message body, padding padding padding\r\n");
        }

        var raw = Encoding.ASCII.GetBytes(body.ToString());
        await using var smtp = await ConnectAsync(sender);
        await smtp.SendAsync(sender.Address, [recipient.Address], new MemoryStream(raw));

        await using var imap = await server.ConnectImapAsync(recipient);
        var uid = await WaitForMessageAsync(imap, "INBOX");
        var delivered = new MemoryStream();
        await imap.UidFetchBodyAsync(uid, "TEXT", delivered);
        Assert.True(raw.Length > 2_000_000);
        Assert.Equal(body.ToString()[(body.ToString().IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..], Encoding.ASCII.GetString(delivered.ToArray()));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_the_servers_code()
    {
        var user = server.NextUser();
        await using var smtp = await SmtpClient.ConnectAsync(SmtpOptions());

        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => smtp.AuthenticateAsync(user.Address, "wrong"));

        Assert.Equal(535, error.Code);
        Assert.Equal("5.7.8", error.EnhancedStatusCode);
        Assert.True(smtp.IsConnected);
        await smtp.AuthenticateAsync(user.Address, user.Password);
    }

    [Fact]
    public async Task Oauth_tokens_authenticate_submission_and_forged_ones_are_refused()
    {
        var user = server.NextUser();
        await using var good = await SmtpClient.ConnectAsync(SmtpOptions());
        await using var forged = await SmtpClient.ConnectAsync(SmtpOptions());

        Assert.True(good.SupportsAuthMechanism("XOAUTH2"));
        await good.AuthenticateOAuthAsync(user.Address, server.IssueAccessToken(user));
        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => forged.AuthenticateOAuthAsync(user.Address, "forged-token"));
        var result = await good.SendAsync(user.Address, [user.Address], ImapIntegrationTests.Message("via oauth"));

        Assert.Equal(535, error.Code);
        Assert.Equal([user.Address], result.Accepted);
    }

    [Fact]
    public async Task Without_tls_the_server_offers_no_authentication()
    {
        var user = server.NextUser();
        await using var smtp = await SmtpClient.ConnectAsync(SmtpOptions(MailTlsMode.None));

        Assert.False(smtp.IsEncrypted);
        Assert.True(smtp.Supports("STARTTLS"));
        Assert.False(smtp.Supports("AUTH"));
        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => smtp.AuthenticateAsync(user.Address, user.Password));
        Assert.Equal(503, error.Code);
    }

    [Fact]
    public async Task Outside_and_unknown_recipients_are_refused_with_reasons_while_valid_ones_receive()
    {
        var sender = server.NextUser();
        var recipient = server.NextUser();
        await using var smtp = await ConnectAsync(sender);

        var result = await smtp.SendAsync(sender.Address, ["someone@example.com", "ghost@" + MailServerFixture.Domain, recipient.Address], ImapIntegrationTests.Message("partial"));
        var allRefused = await Assert.ThrowsAsync<SmtpRecipientsRejectedException>(() => smtp.SendAsync(sender.Address, ["someone@example.com"], ImapIntegrationTests.Message("none")));

        Assert.Equal([recipient.Address], result.Accepted);
        Assert.Equal(["someone@example.com", "ghost@" + MailServerFixture.Domain], result.Rejected.Select(r => r.Address));
        Assert.All(result.Rejected, r => Assert.Equal(5, r.Reply.Code / 100));
        Assert.Contains("outbound mail is disabled", result.Rejected[0].Reply.Text, StringComparison.Ordinal);
        Assert.Equal("5.1.1", result.Rejected[1].Reply.EnhancedStatusCode);
        Assert.Single(allRefused.Rejected);
        await smtp.NoopAsync();
    }

    [Fact]
    public async Task Messages_over_the_servers_size_limit_are_refused_before_upload()
    {
        var sender = server.NextUser();
        await using var smtp = await ConnectAsync(sender);

        Assert.Equal(10_240_000, smtp.MaxMessageSize);
        await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() => smtp.SendAsync(sender.Address, [sender.Address], new MemoryStream(new byte[11_000_000])));
        await smtp.NoopAsync();
    }

    [Fact]
    public async Task Idle_notices_mail_delivered_by_smtp()
    {
        var sender = server.NextUser();
        var recipient = server.NextUser();
        await using var imap = await server.ConnectImapAsync(recipient);
        await imap.SelectAsync("INBOX");
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var arrived = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        imap.MailboxChanged += (_, e) =>
        {
            if (e.Kind == ImapMailboxEventKind.Exists && e.Count > 0)
            {
                arrived.TrySetResult(e.Count);
                done.Cancel();
            }
        };
        var idle = imap.IdleAsync(done.Token);

        await using (var smtp = await ConnectAsync(sender))
        {
            await smtp.SendAsync(sender.Address, [recipient.Address], ImapIntegrationTests.Message("pushed"));
        }

        await idle;
        Assert.Equal(1u, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(1)));
        var summary = Assert.Single(await imap.UidFetchAsync((await imap.UidSearchAsync(ImapSearchQuery.All)).Uids, ImapFetchItems.Envelope));
        Assert.Equal("pushed", summary.Envelope!.Subject);
    }

    private static async Task<uint> WaitForMessageAsync(ImapClient imap, string mailbox)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var status = await imap.StatusAsync(mailbox);
            if (status.Messages > 0)
            {
                await imap.SelectAsync(mailbox);
                return (await imap.UidSearchAsync(ImapSearchQuery.All)).Uids.Single();
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The message was not delivered within 10 s.");
    }
}
