using System.Text;
using Suite.Mail.Protocols.Smtp;

namespace Suite.Mail.Protocols.Tests.Smtp;

public sealed class SmtpClientScriptedTests
{
    private static string? Accepting(string line) => line switch
    {
        _ when line.StartsWith("EHLO", StringComparison.Ordinal) => ScriptedSmtpServer.Ehlo,
        _ when line.StartsWith("AUTH PLAIN", StringComparison.Ordinal) => "235 2.7.0 Authentication successful\r\n",
        "DATA" => "354 End data with <CR><LF>.<CR><LF>\r\n",
        "QUIT" => "221 2.0.0 Bye\r\n",
        _ when line.StartsWith("RCPT TO:<nobody", StringComparison.Ordinal) => "550 5.1.1 <nobody@x>: Recipient address rejected: User unknown\r\n",
        _ => "250 2.1.0 Ok\r\n",
    };

    private static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    [Fact]
    public async Task Ehlo_extensions_are_parsed_from_the_multi_line_reply()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        Assert.True(client.Supports("PIPELINING"));
        Assert.True(client.Supports("smtputf8"));
        Assert.Equal(1000, client.MaxMessageSize);
        Assert.True(client.SupportsAuthMechanism("LOGIN"));
        Assert.Equal("EHLO localhost", server.Lines[0]);
    }

    [Fact]
    public async Task Helo_is_used_when_ehlo_is_refused()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(line => line.StartsWith("EHLO", StringComparison.Ordinal) ? "502 5.5.2 Error: command not recognized\r\n" : "250 ok\r\n");
        await using var _ = server;

        Assert.Equal(["EHLO localhost", "HELO localhost"], server.Lines);
        Assert.Empty(client.Extensions);
    }

    [Fact]
    public async Task Pipelined_send_dot_stuffs_and_normalises_line_ends()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        var result = await client.SendAsync("a@x", ["b@x", "c@x"], Text("Subject: t\n\n.leading dot\r\n..two\nlast line without end"));

        Assert.Equal(["EHLO localhost", "MAIL FROM:<a@x> SIZE=53 BODY=8BITMIME", "RCPT TO:<b@x>", "RCPT TO:<c@x>", "DATA"], server.Lines.Take(5));
        Assert.Equal("Subject: t\r\n\r\n..leading dot\r\n...two\r\nlast line without end\r\n", Assert.Single(server.Data));
        Assert.Equal(["b@x", "c@x"], result.Accepted);
        Assert.Equal("2.0.0", result.FinalReply.EnhancedStatusCode);
    }

    [Fact]
    public async Task A_refused_recipient_is_reported_and_the_others_still_get_the_message()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        var result = await client.SendAsync("a@x", ["nobody@x", "b@x"], Text("Subject: t\r\n\r\nbody\r\n"));

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal("nobody@x", rejected.Address);
        Assert.Equal(550, rejected.Reply.Code);
        Assert.Equal("5.1.1", rejected.Reply.EnhancedStatusCode);
        Assert.Equal("<nobody@x>: Recipient address rejected: User unknown", rejected.Reply.Text);
        Assert.Equal(["b@x"], result.Accepted);
        Assert.Single(server.Data);
    }

    [Fact]
    public async Task When_every_recipient_is_refused_nothing_is_sent_and_the_transaction_is_reset()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(line => line == "DATA" ? "554 5.5.1 Error: no valid recipients\r\n" : Accepting(line));
        await using var _ = server;

        var error = await Assert.ThrowsAsync<SmtpRecipientsRejectedException>(() => client.SendAsync("a@x", ["nobody@x"], Text("x\r\n")));

        Assert.Equal(550, Assert.Single(error.Rejected).Reply.Code);
        Assert.Empty(server.Data);
        Assert.Equal("RSET", server.Lines.Last());
        await client.NoopAsync();
    }

    [Fact]
    public async Task A_refused_message_carries_the_servers_code_and_text()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        server.DataAnswer = "552-5.3.4 Message size exceeds fixed limit\r\n552 5.3.4 Try a smaller attachment\r\n";
        await using var _ = server;

        var error = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync("a@x", ["b@x"], Text("x\r\n")));

        Assert.Equal(552, error.Code);
        Assert.Equal("5.3.4", error.EnhancedStatusCode);
        Assert.Equal("Message size exceeds fixed limit Try a smaller attachment", error.ServerText);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task Messages_over_the_advertised_size_are_refused_before_sending()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        var error = await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() => client.SendAsync("a@x", ["b@x"], new MemoryStream(new byte[2000])));

        Assert.Equal(1000, error.Limit);
        Assert.DoesNotContain(server.Lines, l => l.StartsWith("MAIL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auth_plain_sends_the_initial_response_inline()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        await client.AuthenticateAsync("user", "pw");

        Assert.Equal("AUTH PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0user\0pw")), server.Lines.Last());
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Auth_login_answers_both_challenges()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(line => line switch
        {
            _ when line.StartsWith("EHLO", StringComparison.Ordinal) => "250-mail.test\r\n250 AUTH LOGIN\r\n",
            "AUTH LOGIN" => "334 VXNlcm5hbWU6\r\n",
            "dXNlcg==" => "334 UGFzc3dvcmQ6\r\n",
            _ => "235 2.7.0 Authentication successful\r\n",
        });
        await using var _ = server;

        await client.AuthenticateAsync("user", "pw");

        Assert.Equal(["AUTH LOGIN", "dXNlcg==", "cHc="], server.Lines.Skip(1));
    }

    [Fact]
    public async Task A_rejected_oauth_token_acknowledges_the_error_and_raises_an_authentication_error()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(line => line switch
        {
            _ when line.StartsWith("EHLO", StringComparison.Ordinal) => ScriptedSmtpServer.Ehlo,
            _ when line.StartsWith("AUTH XOAUTH2", StringComparison.Ordinal) => "334 eyJzdGF0dXMiOiI0MDEifQ==\r\n",
            _ => "535 5.7.8 Username and Password not accepted\r\n",
        });
        await using var _ = server;

        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.AuthenticateOAuthAsync("user@x", "expired"));

        Assert.Equal("", server.Lines.Last());
        Assert.Equal("5.7.8", error.EnhancedStatusCode);
        Assert.DoesNotContain("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_ascii_addresses_need_smtputf8()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        await client.SendAsync("zoé@exemple.fr", ["b@x"], Text("x\r\n"));

        Assert.EndsWith(" SMTPUTF8", server.Lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a@x>\r\nRCPT TO:<evil@x")]
    [InlineData("a b@x")]
    public async Task Addresses_cannot_inject_commands(string address)
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(Accepting);
        await using var _ = server;

        await Assert.ThrowsAsync<ArgumentException>(() => client.SendAsync(address, ["b@x"], Text("x\r\n")));
    }

    [Theory]
    [InlineData("hello\r\n")]
    [InlineData("99 short code\r\n")]
    [InlineData("250-first\r\n251 mixed codes\r\n")]
    [InlineData("250xno separator\r\n")]
    public async Task Malformed_replies_are_protocol_errors(string greeting)
    {
        await Assert.ThrowsAsync<SmtpProtocolException>(() => ScriptedSmtpServer.StartAsync(Accepting, greeting));
    }

    [Fact]
    public async Task A_silent_server_times_out()
    {
        var (client, server) = await ScriptedSmtpServer.StartAsync(line => line.StartsWith("EHLO", StringComparison.Ordinal) ? ScriptedSmtpServer.Ehlo : null, timeout: TimeSpan.FromMilliseconds(300));
        await using var _ = server;

        await Assert.ThrowsAsync<SmtpConnectionException>(() => client.NoopAsync());
        Assert.False(client.IsConnected);
    }
}
