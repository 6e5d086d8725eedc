using System.Text;
using Suite.Mail.Protocols.Imap;

namespace Suite.Mail.Protocols.Tests.Imap;

/// <summary>The client against an in-memory scripted server: exact commands sent and handling of odd but legal answers.</summary>
public sealed class ImapClientScriptedTests
{
    private const string SelectAnswer =
        "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n* 3 EXISTS\r\n* 0 RECENT\r\n" +
        "* OK [UIDVALIDITY 1700000000] UIDs valid\r\n* OK [UIDNEXT 4] Predicted next UID\r\n* OK [HIGHESTMODSEQ 12] Highest\r\n" +
        "{tag} OK [READ-WRITE] Select completed\r\n";

    [Fact]
    public async Task Select_reads_mailbox_state_from_untagged_responses()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command.StartsWith("SELECT", StringComparison.Ordinal) ? SelectAnswer : "{tag} OK done\r\n");
        await using var _ = server;

        var selected = await client.SelectAsync("INBOX");

        Assert.Equal("SELECT \"INBOX\" (CONDSTORE)", server.Commands.Last());
        Assert.Equal(3u, selected.Exists);
        Assert.Equal(1700000000u, selected.UidValidity);
        Assert.Equal(4u, selected.UidNext);
        Assert.Equal(12ul, selected.HighestModSeq);
        Assert.False(selected.ReadOnly);
        Assert.Contains(ImapFlags.Seen, selected.Flags);
    }

    [Fact]
    public async Task Unsolicited_exists_and_expunge_inside_a_fetch_update_state_and_raise_events()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command switch
        {
            _ when command.StartsWith("SELECT", StringComparison.Ordinal) => SelectAnswer,
            _ when command.StartsWith("UID FETCH", StringComparison.Ordinal) =>
                "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n* 4 EXISTS\r\n* 2 EXPUNGE\r\n* 2 FETCH (FLAGS (\\Flagged))\r\n* 2 FETCH (UID 3 FLAGS ())\r\n{tag} OK Fetch completed\r\n",
            _ => "{tag} OK done\r\n",
        });
        await using var _ = server;
        var events = new List<ImapMailboxEvent>();
        client.MailboxChanged += (_, e) => events.Add(e);
        await client.SelectAsync("INBOX");
        events.Clear();

        var messages = await client.UidFetchAsync([1, 3], ImapFetchItems.Flags);

        Assert.Equal([1u, 3u], messages.Select(m => m.Uid!.Value));
        Assert.Equal(3u, client.Selected!.Exists);
        Assert.Equal(
            [ImapMailboxEventKind.Exists, ImapMailboxEventKind.Expunged, ImapMailboxEventKind.FlagsChanged],
            events.Select(e => e.Kind));
        Assert.Equal(2u, events[2].SequenceNumber);
    }

    [Fact]
    public async Task Body_sections_stream_into_the_callers_stream()
    {
        var body = "From: a@b\r\nSubject: big\r\n\r\n" + new string('x', 100_000) + "\r\n";
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command.StartsWith("UID FETCH", StringComparison.Ordinal)
            ? $"* 9 FETCH (FLAGS (\\Seen))\r\n* 7 FETCH (UID 70 BODY[] {{{Encoding.ASCII.GetByteCount(body)}}}\r\n{body})\r\n{{tag}} OK done\r\n"
            : "{tag} OK done\r\n");
        await using var _ = server;
        var destination = new MemoryStream();

        var written = await client.UidFetchBodyAsync(70, "", destination);

        Assert.Equal("UID FETCH 70 (UID BODY.PEEK[])", server.Commands.Last());
        Assert.Equal(body.Length, written);
        Assert.Equal(body, Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task Partial_fetch_of_a_section_names_origin_and_length()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command.StartsWith("UID FETCH", StringComparison.Ordinal)
            ? "* 1 FETCH (UID 5 BODY[1.2]<100> {4}\r\nabcd)\r\n{tag} OK done\r\n"
            : "{tag} OK done\r\n");
        await using var _ = server;
        var destination = new MemoryStream();

        var written = await client.UidFetchBodyAsync(5, "1.2", destination, offset: 100, length: 4);

        Assert.Equal("UID FETCH 5 (UID BODY.PEEK[1.2]<100.4>)", server.Commands.Last());
        Assert.Equal(4, written);
        Assert.Equal("abcd", Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Theory]
    [InlineData("* 1 FETCH (UID 5 BODY[TEXT] \"hi \\\"there\\\"\")\r\n{tag} OK done\r\n", "hi \"there\"")]
    [InlineData("* 1 FETCH (BODY[TEXT] NIL UID 5)\r\n{tag} OK done\r\n", "")]
    public async Task Body_sections_sent_as_quoted_strings_or_nil_are_written_too(string answer, string expected)
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => answer);
        await using var _ = server;
        var destination = new MemoryStream();

        var written = await client.UidFetchBodyAsync(5, "TEXT", destination);

        Assert.Equal(expected.Length, written);
        Assert.Equal(expected, Encoding.ASCII.GetString(destination.ToArray()));
    }

    [Fact]
    public async Task Fetching_a_missing_message_returns_null()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK done\r\n");
        await using var _ = server;

        Assert.Null(await client.UidFetchBodyAsync(99, "", new MemoryStream()));
    }

    [Fact]
    public async Task Without_literal_plus_a_literal_waits_for_the_continuation()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK [CAPABILITY IMAP4rev1] Logged in\r\n", capabilities: "IMAP4rev1 AUTH=PLAIN");
        await using var _ = server;

        await client.LoginAsync("zoé", "p\"w");

        Assert.Equal("LOGIN {4}\nzoé \"p\\\"w\"", server.Commands.Last());
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Login_failure_is_an_authentication_error_with_the_server_code()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} NO [AUTHENTICATIONFAILED] Authentication failed.\r\n");
        await using var _ = server;

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.LoginAsync("u", "wrong"));

        Assert.Equal("AUTHENTICATIONFAILED", error.ResponseCode);
        Assert.Equal("Authentication failed.", error.ServerText);
        Assert.DoesNotContain("wrong", error.Message, StringComparison.Ordinal);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Authenticate_plain_uses_an_initial_response_when_sasl_ir_is_advertised()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK [CAPABILITY IMAP4rev1 MOVE] Logged in\r\n");
        await using var _ = server;

        await client.AuthenticatePlainAsync("user", "secret");

        Assert.Equal("AUTHENTICATE PLAIN " + Convert.ToBase64String(Encoding.UTF8.GetBytes("\0user\0secret")), server.Commands.Last());
        Assert.True(client.HasCapability("MOVE"));
    }

    [Fact]
    public async Task Authenticate_without_sasl_ir_answers_the_continuation()
    {
        var step = 0;
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => step++ switch
        {
            0 => "+ \r\n",
            1 => "A0001 OK done\r\n",
            _ => "{tag} OK done\r\n",
        }, capabilities: "IMAP4rev1 AUTH=PLAIN");
        await using var _ = server;

        await client.AuthenticatePlainAsync("user", "secret");

        Assert.Equal(["AUTHENTICATE PLAIN", Convert.ToBase64String(Encoding.UTF8.GetBytes("\0user\0secret")), "CAPABILITY"], server.Commands);
    }

    [Fact]
    public async Task A_rejected_xoauth2_token_acknowledges_the_error_challenge_and_fails_cleanly()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((tag, command) => command.StartsWith("AUTHENTICATE", StringComparison.Ordinal)
            ? "+ eyJzdGF0dXMiOiI0MDEifQ==\r\n"
            : "A0001 NO [AUTHENTICATIONFAILED] Invalid credentials\r\n", capabilities: "IMAP4rev1 SASL-IR AUTH=XOAUTH2");
        await using var _ = server;

        await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.AuthenticateOAuthAsync("user@x", "token"));

        Assert.StartsWith("AUTHENTICATE XOAUTH2 ", server.Commands[0], StringComparison.Ordinal);
        Assert.Equal("", server.Commands[1]);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task Oauthbearer_is_preferred_when_advertised()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK done\r\n", capabilities: "IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=OAUTHBEARER");
        await using var _ = server;

        await client.AuthenticateOAuthAsync("user@x", "tok");

        var initial = Encoding.UTF8.GetString(Convert.FromBase64String(server.Commands[0]["AUTHENTICATE OAUTHBEARER ".Length..]));
        Assert.Equal("n,a=user@x,\u0001host=test\u0001port=993\u0001auth=Bearer tok\u0001\u0001", initial);
    }

    [Fact]
    public async Task Move_without_the_extension_copies_flags_and_expunges_only_those_uids()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command switch
        {
            _ when command.StartsWith("UID COPY", StringComparison.Ordinal) => "{tag} OK [COPYUID 99 4:5 20:21] Copied\r\n",
            _ => "{tag} OK done\r\n",
        }, capabilities: "IMAP4rev1 UIDPLUS");
        await using var _ = server;

        var mapping = await client.UidMoveAsync([4, 5], "Archive");

        Assert.Equal(["UID COPY 4:5 \"Archive\"", "UID STORE 4:5 +FLAGS.SILENT (\\Deleted)", "UID EXPUNGE 4:5"], server.Commands);
        Assert.Equal(99u, mapping!.DestinationUidValidity);
        Assert.Equal([20u, 21u], mapping.DestinationUids);
    }

    [Fact]
    public async Task Move_reads_copyuid_from_the_untagged_ok()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "* OK [COPYUID 7 3 9] Moved\r\n* 1 EXPUNGE\r\n{tag} OK Done\r\n");
        await using var _ = server;

        var mapping = await client.UidMoveAsync([3], "Trash");

        Assert.Equal("UID MOVE 3 \"Trash\"", server.Commands.Last());
        Assert.Equal([9u], mapping!.DestinationUids);
    }

    [Fact]
    public async Task Append_streams_the_message_as_a_non_synchronizing_literal()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK [APPENDUID 1700000000 42] Append completed\r\n");
        await using var _ = server;
        var message = new MemoryStream(Encoding.ASCII.GetBytes("Subject: hi\r\n\r\nbody\r\n"));

        var uid = await client.AppendAsync("Drafts", message, flags: [ImapFlags.Draft, ImapFlags.Seen], internalDate: new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(1)));

        Assert.Equal(42u, uid);
        Assert.Equal("APPEND \"Drafts\" (\\Draft \\Seen) \"02-Jan-2024 03:04:05 +0100\" {21+}\nSubject: hi\r\n\r\nbody\r\n", server.Commands.Last());
    }

    [Fact]
    public async Task Search_uses_esearch_and_sends_non_ascii_text_as_a_utf8_literal()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "* ESEARCH (TAG \"A0001\") UID COUNT 3 ALL 2:4\r\n{tag} OK done\r\n");
        await using var _ = server;

        var result = await client.UidSearchAsync(ImapSearchQuery.And(ImapSearchQuery.Unseen, ImapSearchQuery.Or(ImapSearchQuery.Subject("réunion"), ImapSearchQuery.Not(ImapSearchQuery.From("x\"y")))));

        Assert.Equal([2u, 3u, 4u], result.Uids);
        Assert.Equal("UID SEARCH RETURN (ALL COUNT) CHARSET UTF-8 (UNSEEN OR SUBJECT {8+}\nréunion (NOT FROM \"x\\\"y\"))", server.Commands.Last());
    }

    [Fact]
    public async Task Plain_search_results_are_read_too()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "* SEARCH 5 8 13\r\n{tag} OK done\r\n", capabilities: "IMAP4rev1");
        await using var _ = server;

        var result = await client.UidSearchAsync(ImapSearchQuery.Since(new DateOnly(2024, 2, 1)));

        Assert.Equal("UID SEARCH SINCE 1-Feb-2024", server.Commands.Last());
        Assert.Equal([5u, 8u, 13u], result.Uids);
    }

    [Fact]
    public async Task Store_reports_messages_skipped_by_unchangedsince()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK [MODIFIED 7] Conditional STORE failed\r\n");
        await using var _ = server;

        var skipped = await client.UidStoreFlagsAsync([5, 6, 7], ImapStoreAction.Add, [ImapFlags.Seen], unchangedSince: 100);

        Assert.Equal("UID STORE 5:7 (UNCHANGEDSINCE 100) +FLAGS.SILENT (\\Seen)", server.Commands.Last());
        Assert.Equal([7u], skipped);
    }

    [Fact]
    public async Task Flags_cannot_inject_protocol()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "{tag} OK done\r\n");
        await using var _ = server;

        await Assert.ThrowsAsync<ArgumentException>(() => client.UidStoreFlagsAsync([1], ImapStoreAction.Add, ["\\Seen)\r\nA1 DELETE INBOX"]));
    }

    [Fact]
    public async Task Qresync_select_enables_the_extension_and_collects_vanished_and_changed_messages()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command switch
        {
            _ when command.StartsWith("ENABLE", StringComparison.Ordinal) => "* ENABLED QRESYNC\r\n{tag} OK enabled\r\n",
            _ => "* OK [UIDVALIDITY 5] x\r\n* VANISHED (EARLIER) 2:3,8\r\n* 4 FETCH (UID 10 FLAGS (\\Seen) MODSEQ (90))\r\n* OK [HIGHESTMODSEQ 90] x\r\n{tag} OK done\r\n",
        }, capabilities: "IMAP4rev1 CONDSTORE QRESYNC ENABLE");
        await using var _ = server;

        var selected = await client.SelectAsync("INBOX", new ImapResyncState(5, 80, "1:10"));

        Assert.Equal(["ENABLE QRESYNC", "SELECT \"INBOX\" (QRESYNC (5 80 1:10))"], server.Commands);
        Assert.Equal([2u, 3u, 8u], selected.VanishedUids);
        Assert.Equal(10u, Assert.Single(selected.ChangedMessages).Uid);
        Assert.Equal(90ul, selected.HighestModSeq);
    }

    [Fact]
    public async Task Idle_reports_new_mail_and_ends_with_done()
    {
        ScriptedImapServer? scripted = null;
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command switch
        {
            "IDLE" => "+ idling\r\n",
            "DONE" => "A0002 OK Idle completed\r\n",
            _ => SelectAnswer,
        });
        scripted = server;
        await using var _ = server;
        await client.SelectAsync("INBOX");
        using var done = new CancellationTokenSource();
        client.MailboxChanged += (_, e) =>
        {
            if (e.Kind == ImapMailboxEventKind.Exists && e.Count == 4)
            {
                done.Cancel();
            }
        };

        var idle = client.IdleAsync(done.Token);
        await WaitUntilAsync(() => server.Commands.Contains("IDLE"));
        await scripted.PushAsync("* 4 EXISTS\r\n");
        await idle.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["IDLE", "DONE"], server.Commands.Skip(1));
        Assert.Equal(4u, client.Selected!.Exists);
        await client.NoopAsync();
    }

    [Fact]
    public async Task A_server_that_disappears_mid_command_gives_a_connection_error_and_the_client_stays_closed()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "* 1 FETCH (UID 1 BODY[] {100}\r\nonly part");
        await using var _ = server;
        var fetch = client.UidFetchBodyAsync(1, "", new MemoryStream());
        await WaitUntilAsync(() => server.Commands.Count > 0);
        await server.CloseAsync();

        await Assert.ThrowsAsync<ImapConnectionException>(() => fetch);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<ImapConnectionException>(() => client.NoopAsync());
    }

    [Fact]
    public async Task Bye_before_closing_is_reported_with_the_servers_reason()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => "* BYE Server shutting down\r\n");
        await using var _ = server;
        var noop = client.NoopAsync();
        await WaitUntilAsync(() => server.Commands.Count > 0);
        await server.CloseAsync();

        var error = await Assert.ThrowsAsync<ImapConnectionException>(() => noop);
        Assert.Contains("Server shutting down", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silent_server_times_out_with_a_connection_error()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) => null, timeout: TimeSpan.FromMilliseconds(300));
        await using var _ = server;

        var error = await Assert.ThrowsAsync<ImapConnectionException>(() => client.NoopAsync());

        Assert.Contains("did not answer", error.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task No_and_bad_answers_raise_command_errors_and_keep_the_connection()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, command) => command.StartsWith("SELECT", StringComparison.Ordinal)
            ? "{tag} NO [NONEXISTENT] Mailbox doesn't exist: Nope\r\n"
            : "{tag} OK done\r\n");
        await using var _ = server;

        var error = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("Nope"));

        Assert.Equal(ImapStatus.No, error.Status);
        Assert.Equal("NONEXISTENT", error.ResponseCode);
        Assert.Null(client.Selected);
        await client.NoopAsync();
    }

    [Fact]
    public async Task List_with_status_asks_for_special_use_and_counters_in_one_command()
    {
        var (client, server) = await ScriptedImapServer.StartAsync((_, _) =>
            "* LIST (\\HasNoChildren) \"/\" INBOX\r\n* STATUS INBOX (MESSAGES 3 UNSEEN 1 UIDNEXT 4 UIDVALIDITY 9)\r\n" +
            "* LIST (\\HasNoChildren \\Sent) \"/\" \"Envoy&AOk-s\"\r\n* STATUS \"Envoy&AOk-s\" (MESSAGES 0 UNSEEN 0 UIDNEXT 1 UIDVALIDITY 9)\r\n" +
            "* LIST (\\Noselect \\HasChildren) \"/\" Shared\r\n{tag} OK done\r\n", capabilities: "IMAP4rev1 LIST-EXTENDED LIST-STATUS SPECIAL-USE");
        await using var _ = server;

        var folders = await client.ListAsync(withStatus: true);

        Assert.Equal("LIST \"\" \"*\" RETURN (SPECIAL-USE STATUS (MESSAGES UNSEEN UIDNEXT UIDVALIDITY))", server.Commands.Last());
        Assert.Equal(["INBOX", "Envoyés", "Shared"], folders.Select(f => f.Name));
        Assert.Equal(ImapSpecialUse.Inbox, folders[0].SpecialUse);
        Assert.Equal(1u, folders[0].Status!.Unseen);
        Assert.Equal(ImapSpecialUse.Sent, folders[1].SpecialUse);
        Assert.False(folders[2].CanSelect);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
