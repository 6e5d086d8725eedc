using System.Diagnostics;
using System.Text;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Protocols.Tests.Integration;

[Collection(MailServerCollection.Name)]
public sealed class ImapIntegrationTests(MailServerFixture server)
{
    [Fact]
    public async Task Starttls_login_and_capabilities_of_a_real_dovecot()
    {
        var user = server.NextUser();
        await using var client = await ImapClient.ConnectAsync(server.ImapOptions(MailTlsMode.StartTls));

        Assert.True(client.IsEncrypted);
        Assert.True(client.HasCapability("IMAP4rev1"));
        await client.LoginAsync(user.Address, user.Password);

        Assert.True(client.IsAuthenticated);
        Assert.True(client.HasCapability("MOVE"));
        Assert.True(client.HasCapability("CONDSTORE"));
        await client.LogoutAsync();
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task Connect_and_login_in_one_call_skips_the_capability_round_trip_after_starttls()
    {
        var user = server.NextUser();
        var phases = new List<string>();
        await using var client = await ImapClient.ConnectAsync(Traced(server.ImapOptions(MailTlsMode.StartTls), phases), user.Address, user.Password);

        // The greeting carries the capabilities before TLS, the tagged OK of LOGIN those valid after it.
        Assert.Equal(["tcp", "greeting", "starttls", "tls", "login"], phases);
        Assert.True(client.IsEncrypted);
        Assert.True(client.IsAuthenticated);
        Assert.True(client.HasCapability("MOVE"));
        Assert.DoesNotContain("STARTTLS", client.Capabilities);
        var inbox = await client.SelectAsync("INBOX");
        Assert.NotNull(inbox.UidValidity);
        await client.LogoutAsync();
    }

    [Fact]
    public async Task Connect_and_login_sends_a_password_that_needs_a_literal_and_refuses_a_wrong_one()
    {
        var user = server.ChangePassword(server.NextUser(), "mot-de-passe-é");
        var options = server.ImapOptions(MailTlsMode.StartTls);

        // Before the capabilities are known again after TLS, LITERAL+ cannot be assumed: a synchronizing literal.
        await using (var client = await ImapClient.ConnectAsync(options, user.Address, user.Password))
        {
            Assert.True(client.IsAuthenticated);
            await client.LogoutAsync();
        }

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() => ImapClient.ConnectAsync(options, user.Address, "faux"));
        Assert.Equal("AUTHENTICATIONFAILED", error.ResponseCode);
    }

    private static ImapClientOptions Traced(ImapClientOptions options, List<string> phases) => new()
    {
        Host = options.Host,
        Port = options.Port,
        Tls = options.Tls,
        TlsServerName = options.TlsServerName,
        CertificateValidation = options.CertificateValidation,
        Timeout = options.Timeout,
        PhaseCompleted = phases.Add,
    };

    [Fact]
    public async Task Implicit_tls_and_authenticate_plain()
    {
        var user = server.NextUser();
        await using var client = await ImapClient.ConnectAsync(server.ImapOptions(MailTlsMode.Implicit));

        await client.AuthenticatePlainAsync(user.Address, user.Password);

        Assert.True(client.IsEncrypted);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Oauth_bearer_tokens_are_accepted_and_a_bad_token_is_an_authentication_error()
    {
        var user = server.NextUser();
        await using var bearer = await ImapClient.ConnectAsync(server.ImapOptions());
        await using var xoauth = await ImapClient.ConnectAsync(server.ImapOptions());

        Assert.True(bearer.HasCapability("AUTH=OAUTHBEARER"));
        await bearer.AuthenticateOAuthAsync(user.Address, server.IssueAccessToken(user));
        await Assert.ThrowsAsync<ImapAuthenticationException>(() => xoauth.AuthenticateOAuthAsync(user.Address, "forged-token"));
        await xoauth.LoginAsync(user.Address, user.Password);

        Assert.True(bearer.IsAuthenticated);
        Assert.True(xoauth.IsAuthenticated);
    }

    [Fact]
    public async Task An_untrusted_certificate_is_refused()
    {
        var options = server.ImapOptions(MailTlsMode.StartTls);
        options = new ImapClientOptions { Host = options.Host, Port = options.Port, Tls = MailTlsMode.StartTls, TlsServerName = "localhost", CertificateValidation = (_, _, _, _) => false };

        var error = await Assert.ThrowsAsync<ImapConnectionException>(() => ImapClient.ConnectAsync(options));

        Assert.Contains("TLS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_a_clear_authentication_error_and_the_connection_can_retry()
    {
        var user = server.NextUser();
        await using var client = await ImapClient.ConnectAsync(server.ImapOptions());
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ImapAuthenticationException>(() => client.LoginAsync(user.Address, "not-the-password"));

        Assert.Equal("AUTHENTICATIONFAILED", error.ResponseCode);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        await client.LoginAsync(user.Address, user.Password);
        Assert.True(client.IsAuthenticated);
    }

    [Fact]
    public async Task Folders_are_listed_with_special_use_status_and_decoded_names()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        await client.CreateMailboxAsync("Réunions/Été & co");
        await client.AppendAsync("INBOX", Message("one"));
        await client.AppendAsync("INBOX", Message("two"), flags: [ImapFlags.Seen]);

        var folders = await client.ListAsync(withStatus: true);
        var namespaces = await client.GetNamespacesAsync();

        var byUse = folders.Where(f => f.SpecialUse != ImapSpecialUse.None).ToDictionary(f => f.SpecialUse, f => f.Name);
        Assert.Equal("INBOX", byUse[ImapSpecialUse.Inbox]);
        Assert.Equal("Drafts", byUse[ImapSpecialUse.Drafts]);
        Assert.Equal("Sent", byUse[ImapSpecialUse.Sent]);
        Assert.Equal("Trash", byUse[ImapSpecialUse.Trash]);
        Assert.Equal("Junk", byUse[ImapSpecialUse.Junk]);
        Assert.Equal("Archive", byUse[ImapSpecialUse.Archive]);
        var inbox = folders.Single(f => f.SpecialUse == ImapSpecialUse.Inbox);
        Assert.Equal(2u, inbox.Status?.Messages);
        Assert.Equal(1u, inbox.Status?.Unseen);
        var created = folders.Single(f => f.Name == "Réunions/Été & co");
        Assert.Equal("R&AOk-unions/&AMk-t&AOk- &- co", created.EncodedName);
        Assert.Equal('/', created.Delimiter);
        Assert.Equal('/', Assert.Single(namespaces.Personal).Delimiter);
        Assert.Equal(0u, (await client.StatusAsync("Réunions/Été & co")).Messages);
    }

    [Fact]
    public async Task Appended_message_is_fetched_with_envelope_structure_and_streamed_body()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        var raw = await ComposeAsync("Réunion — ordre du jour", withAttachment: true, to: user.Address);

        var uid = await client.AppendAsync("INBOX", new MemoryStream(raw), internalDate: new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)));
        var selected = await client.SelectAsync("INBOX");
        var summary = Assert.Single(await client.UidFetchAsync([uid!.Value], ImapFetchItems.Summary | ImapFetchItems.BodyStructure | ImapFetchItems.ModSeq));

        Assert.Equal(1u, selected.Exists);
        Assert.NotNull(selected.UidValidity);
        Assert.NotNull(selected.HighestModSeq);
        Assert.Equal(uid, summary.Uid);
        Assert.Equal("Réunion — ordre du jour", summary.Envelope!.Subject);
        Assert.Equal("Zoé Martin", summary.Envelope.From.Mailboxes.Single().Name);
        Assert.Equal(user.Address, summary.Envelope.To.Mailboxes.Single().Address);
        Assert.Equal(raw.Length, summary.Size);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2)), summary.InternalDate);
        Assert.NotNull(summary.ModSeq);
        Assert.False(summary.HasFlag(ImapFlags.Seen));
        var leaves = summary.Body!.Leaves().ToList();
        Assert.Equal(["text/plain", "text/html", "application/pdf"], leaves.Select(l => l.ContentType));
        var attachment = leaves[2];
        Assert.True(attachment.IsAttachment);
        Assert.Equal("rapport été.pdf", attachment.FileName);

        var whole = new MemoryStream();
        Assert.Equal(raw.Length, await client.UidFetchBodyAsync(uid.Value, "", whole));
        Assert.Equal(raw, whole.ToArray());

        var part = new MemoryStream();
        await client.UidFetchBodyAsync(uid.Value, attachment.Section, part);
        Assert.Equal(AttachmentBytes, Convert.FromBase64String(Encoding.ASCII.GetString(part.ToArray())));

        var slice = new MemoryStream();
        Assert.Equal(10, await client.UidFetchBodyAsync(uid.Value, "", slice, offset: 5, length: 10));
        Assert.Equal(raw.AsSpan(5, 10).ToArray(), slice.ToArray());

        // BODY.PEEK must not have marked the message read.
        Assert.False(Assert.Single(await client.UidFetchAsync([uid.Value], ImapFetchItems.Flags)).HasFlag(ImapFlags.Seen));
    }

    [Fact]
    public async Task Search_finds_messages_by_subject_text_and_flags()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        var budget = await client.AppendAsync("INBOX", Message("Budget 2025"));
        var lunch = await client.AppendAsync("INBOX", Message("Déjeuner d'équipe"), flags: [ImapFlags.Seen]);
        var other = await client.AppendAsync("INBOX", Message("Other budget"));
        await client.SelectAsync("INBOX");

        var byWord = await client.UidSearchAsync(ImapSearchQuery.Subject("budget"));
        var accented = await client.UidSearchAsync(ImapSearchQuery.Subject("équipe"));
        var unseen = await client.UidSearchAsync(ImapSearchQuery.Unseen);
        var combined = await client.UidSearchAsync(ImapSearchQuery.And(ImapSearchQuery.Subject("budget"), ImapSearchQuery.Not(ImapSearchQuery.Subject("other"))));
        var none = await client.UidSearchAsync(ImapSearchQuery.Subject("absent-word"));

        Assert.Equal([budget!.Value, other!.Value], byWord.Uids);
        Assert.Equal([lunch!.Value], accented.Uids);
        Assert.Equal([budget.Value, other.Value], unseen.Uids);
        Assert.Equal([budget.Value], combined.Uids);
        Assert.Empty(none.Uids);
    }

    [Fact]
    public async Task Flags_are_stored_and_removed_with_conditional_store()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        var uid = (await client.AppendAsync("INBOX", Message("flags")))!.Value;
        await client.SelectAsync("INBOX");

        await client.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Seen, ImapFlags.Flagged, "$Important"]);
        var flagged = Assert.Single(await client.UidFetchAsync([uid], ImapFetchItems.Flags | ImapFetchItems.ModSeq));
        await client.UidStoreFlagsAsync([uid], ImapStoreAction.Remove, [ImapFlags.Flagged]);
        var unflagged = Assert.Single(await client.UidFetchAsync([uid], ImapFetchItems.Flags));
        var skipped = await client.UidStoreFlagsAsync([uid], ImapStoreAction.Add, [ImapFlags.Answered], unchangedSince: flagged.ModSeq!.Value);

        Assert.True(flagged.HasFlag(ImapFlags.Seen) && flagged.HasFlag(ImapFlags.Flagged) && flagged.HasFlag("$Important"));
        Assert.False(unflagged.HasFlag(ImapFlags.Flagged));
        Assert.Equal([uid], skipped);
        Assert.False(Assert.Single(await client.UidFetchAsync([uid], ImapFetchItems.Flags)).HasFlag(ImapFlags.Answered));
    }

    [Fact]
    public async Task Move_puts_messages_in_the_destination_with_their_new_uids()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        var first = (await client.AppendAsync("INBOX", Message("move me")))!.Value;
        var second = (await client.AppendAsync("INBOX", Message("stay")))!.Value;
        var selected = await client.SelectAsync("INBOX");

        var mapping = await client.UidMoveAsync([first], "Archive");

        Assert.Equal([first], mapping!.SourceUids);
        Assert.Equal(1u, selected.Exists);
        Assert.Equal([second], (await client.UidSearchAsync(ImapSearchQuery.All)).Uids);
        await client.SelectAsync("Archive");
        var moved = Assert.Single(await client.UidFetchAsync(mapping.DestinationUids, ImapFetchItems.Envelope));
        Assert.Equal("move me", moved.Envelope!.Subject);
    }

    [Fact]
    public async Task Qresync_select_reports_changes_since_the_remembered_state()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        var kept = (await client.AppendAsync("INBOX", Message("kept")))!.Value;
        var removed = (await client.AppendAsync("INBOX", Message("removed")))!.Value;
        var before = await client.SelectAsync("INBOX");
        var state = new ImapResyncState(before.UidValidity!.Value, before.HighestModSeq!.Value);
        await client.UidStoreFlagsAsync([kept], ImapStoreAction.Add, [ImapFlags.Seen]);
        await client.UidStoreFlagsAsync([removed], ImapStoreAction.Add, [ImapFlags.Deleted]);
        await client.ExpungeAsync();
        await client.UnselectAsync();

        var after = await client.SelectAsync("INBOX", state);

        Assert.Equal([removed], after.VanishedUids);
        var changed = Assert.Single(after.ChangedMessages);
        Assert.Equal(kept, changed.Uid);
        Assert.True(changed.HasFlag(ImapFlags.Seen));
        Assert.True(after.HighestModSeq > state.HighestModSeq);
    }

    [Fact]
    public async Task Idle_reports_a_message_appended_by_another_connection()
    {
        var user = server.NextUser();
        await using var watcher = await server.ConnectImapAsync(user);
        await using var writer = await server.ConnectImapAsync(user);
        await watcher.SelectAsync("INBOX");
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var arrived = new TaskCompletionSource<uint>(TaskCreationOptions.RunContinuationsAsynchronously);
        watcher.MailboxChanged += (_, e) =>
        {
            if (e.Kind == ImapMailboxEventKind.Exists && e.Count > 0)
            {
                arrived.TrySetResult(e.Count);
                done.Cancel();
            }
        };

        var idle = watcher.IdleAsync(done.Token);
        await Task.Delay(300);
        await writer.AppendAsync("INBOX", Message("new mail"));
        await idle;

        Assert.Equal(1u, await arrived.Task.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(1u, watcher.Selected!.Exists);
        await watcher.NoopAsync();
    }

    [Fact]
    public async Task A_server_process_killed_mid_session_gives_a_connection_error()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);
        await client.SelectAsync("INBOX");

        Assert.True(server.KillImapSessions(user) > 0);
        var error = await Assert.ThrowsAnyAsync<ImapException>(() => client.UidSearchAsync(ImapSearchQuery.All));

        Assert.IsType<ImapConnectionException>(error);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<ImapConnectionException>(() => client.NoopAsync());
    }

    [Fact]
    public async Task Selecting_a_missing_mailbox_is_a_command_error_and_the_session_goes_on()
    {
        var user = server.NextUser();
        await using var client = await server.ConnectImapAsync(user);

        var error = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("Does/Not/Exist"));

        Assert.Equal(ImapStatus.No, error.Status);
        Assert.Contains("doesn't exist", error.ServerText, StringComparison.Ordinal);
        await client.ExamineAsync("INBOX");
        Assert.True(client.Selected!.ReadOnly);
    }

    internal static readonly byte[] AttachmentBytes = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();

    internal static MemoryStream Message(string subject) =>
        new(Encoding.UTF8.GetBytes($"From: test@{MailServerFixture.Domain}\r\nSubject: {Rfc2047Subject(subject)}\r\nMessage-ID: <{Guid.NewGuid():N}@suite.test>\r\n\r\nBody of {subject}\r\n"));

    private static string Rfc2047Subject(string subject) =>
        subject.All(c => c < 128) ? subject : "=?utf-8?B?" + Convert.ToBase64String(Encoding.UTF8.GetBytes(subject)) + "?=";

    internal static async Task<byte[]> ComposeAsync(string subject, bool withAttachment, string? to = null)
    {
        var builder = new MimeMessageBuilder
        {
            From = new MailboxAddress("Zoé Martin", "zoe@" + MailServerFixture.Domain),
            Subject = subject,
            TextBody = "Bonjour,\nvoici l'ordre du jour.\n",
            HtmlBody = "<p>Bonjour,</p><p>voici l'<b>ordre du jour</b>.</p>",
            Date = new DateTimeOffset(2024, 5, 6, 7, 0, 0, TimeSpan.FromHours(2)),
        };
        builder.To.Add(new MailboxAddress(null, to ?? "user@" + MailServerFixture.Domain));
        if (withAttachment)
        {
            builder.AddAttachment("rapport été.pdf", "application/pdf", AttachmentBytes);
        }

        var output = new MemoryStream();
        await builder.WriteToAsync(output);
        return output.ToArray();
    }
}
