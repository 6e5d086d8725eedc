using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Kernel.Notifications;
using Suite.Kernel.Tenancy;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Live;
using Suite.Mail.Protocols;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Tests;

/// <summary>The connection pool and the IDLE watch of the INBOX, against the real Dovecot.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class LiveAndPoolTests(MailPortal world)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_pool_reuses_a_connection_bounds_those_in_use_and_closes_idle_ones()
    {
        var user = world.Server.NextUser();
        var clock = new ManualClock();
        await using var pool = new MailConnectionPool(clock) { IdleTimeout = TimeSpan.FromMinutes(2) };
        var credentials = new MailCredentials(user.Address, user.Password);
        var options = world.Server.ImapOptions();
        var key = MailConnectionPool.KeyFor(options, credentials);
        Task<ImapClient> Lease() => pool.LeaseAsync(key, token => MailboxConnection.ConnectAsync(options, credentials, token));

        var first = await Lease();
        pool.Return(key, first);
        Assert.Same(first, await Lease());
        Assert.Equal(1, pool.Opened);

        var busy = new List<ImapClient> { first };
        for (var i = 1; i < MailConnectionPool.MaxPerMailbox; i++)
            busy.Add(await Lease());
        Assert.Equal(MailConnectionPool.MaxPerMailbox, busy.Distinct().Count());
        var waiting = Lease();
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted, "A fifth connection to the same mailbox was opened beyond the bound.");
        pool.Return(key, busy[^1]);
        Assert.Same(busy[^1], await waiting.WaitAsync(Patience));

        foreach (var client in busy)
            pool.Return(key, client);
        Assert.Equal(MailConnectionPool.MaxPerMailbox, pool.IdleCount(key));
        clock.Advance(TimeSpan.FromMinutes(3));
        await pool.SweepAsync();
        Assert.Equal(0, pool.IdleCount(key));
        var fresh = await Lease();
        Assert.DoesNotContain(fresh, busy);
        Assert.Equal(MailConnectionPool.MaxPerMailbox + 1, pool.Opened);
        pool.Return(key, fresh);

        // Another password is another session: the pool never hands one person's connection to other credentials.
        var other = MailConnectionPool.KeyFor(options, credentials with { Password = "autre" });
        Assert.NotEqual(key, other);
    }

    [Fact]
    public async Task A_password_changed_on_the_server_is_reported_once_and_not_retried_on_every_page()
    {
        var mailbox = world.Server.NextUser();
        using var bob = await world.SignInAsync("bob@interieur.test");
        await MailPortal.SaveMailboxAsync(bob, mailbox);
        Assert.Equal(HttpStatusCode.OK, (await bob.GetAsync("/mail")).Status);

        var changed = world.Server.ChangePassword(mailbox, "nouveau-" + Guid.NewGuid().ToString("N"));
        var before = world.Server.FailedLogins(mailbox);
        string? text = null;
        // Connections the pool still holds were opened with the old password and stay valid: let them expire by
        // asking a fresh session (a second page needs a second connection while the first is leased).
        for (var attempt = 0; attempt < 10 && world.Server.FailedLogins(mailbox) == before; attempt++)
        {
            world.Server.KillImapSessions(mailbox);
            text = (await bob.GetAsync("/mail")).Text;
        }
        await Until(() => world.Server.FailedLogins(mailbox) > before);
        Assert.Contains("mot de passe", text);

        for (var view = 0; view < 3; view++)
        {
            var page = await bob.GetAsync("/mail");
            Assert.Equal(HttpStatusCode.BadGateway, page.Status);
            Assert.Contains("ne réessaiera pas", page.Text);
            Assert.DoesNotContain("Exception", page.Text);
        }
        await Task.Delay(500);
        Assert.Equal(before + 1, world.Server.FailedLogins(mailbox));

        // Saving the new password on the mailbox page makes the webmail usable again.
        var saved = await MailPortal.SaveMailboxAsync(bob, changed);
        Assert.Equal("/mail?done=account", saved.Path);
        Assert.NotNull(saved.Document.QuerySelector("#mail-folders"));
    }

    [Fact]
    public async Task A_new_message_in_the_inbox_notifies_the_person_and_the_watch_survives_the_server_killing_it()
    {
        var mailbox = world.Server.NextUser();
        var sender = world.Server.NextUser();
        var notes = new Notes();
        await using var provider = Services(notes);
        await using var watchers = new InboxWatchers(provider.GetRequiredService<IServiceScopeFactory>(), new MailConnectionPool(TimeProvider.System), NullLogger<InboxWatchers>.Instance)
        {
            RetryPause = TimeSpan.FromMilliseconds(200),
        };
        var target = new WatchTarget(Guid.NewGuid(), Guid.NewGuid(), "Alice", CultureInfo.GetCultureInfo("fr-FR"), world.Server.ImapOptions(), new MailCredentials(mailbox.Address, mailbox.Password));
        var arrived = new List<NewMail>();
        var states = new List<WatchState>();
        await using (var page = watchers.Listen(target, mail => { lock (arrived) arrived.Add(mail); return Task.CompletedTask; }, state => { lock (states) states.Add(state); return Task.CompletedTask; }))
        await using (var secondPage = watchers.Listen(target, _ => Task.CompletedTask, _ => Task.CompletedTask))
        {
            Assert.Equal(1, watchers.Count);
            await Until(() => states.Any(s => s.Connected));
            await DeliverAsync(sender, mailbox, "Première arrivée");
            await Until(() => arrived.Any(m => m.Subject == "Première arrivée"));
            await Until(() => notes.Count == 1);
            var note = notes.Single();
            Assert.Equal(target.UserId, note.UserId);
            Assert.Equal(target.TenantId, note.TenantId);
            Assert.Equal("mail", note.ModuleId);
            Assert.Contains("Première arrivée", note.Message.Title);
            Assert.StartsWith("/mail/read?folder=INBOX&uid=", note.Message.Link);

            // The server kills the session: the watch says so, reconnects by itself and still reports new mail.
            Assert.True(world.Server.KillImapSessions(mailbox) > 0);
            await Until(() => states.Any(s => s.Failure == MailErrors.Unreachable));
            await Until(() => states.Count(s => s.Connected) >= 2);
            await DeliverAsync(sender, mailbox, "Après la coupure");
            await Until(() => arrived.Any(m => m.Subject == "Après la coupure"));
            Assert.Equal(2, notes.Count);
        }
        Assert.Equal(0, watchers.Count);
    }

    [Fact]
    public async Task A_refused_password_stops_the_watch_instead_of_retrying()
    {
        var mailbox = world.Server.NextUser();
        await using var provider = Services(new Notes());
        await using var watchers = new InboxWatchers(provider.GetRequiredService<IServiceScopeFactory>(), new MailConnectionPool(TimeProvider.System), NullLogger<InboxWatchers>.Instance)
        {
            RetryPause = TimeSpan.FromMilliseconds(50),
        };
        var before = world.Server.FailedLogins(mailbox);
        var target = new WatchTarget(Guid.NewGuid(), Guid.NewGuid(), null, CultureInfo.GetCultureInfo("fr-FR"), world.Server.ImapOptions(), new MailCredentials(mailbox.Address, "faux"));
        var states = new List<WatchState>();
        await using (watchers.Listen(target, _ => Task.CompletedTask, state => { lock (states) states.Add(state); return Task.CompletedTask; }))
        {
            await Until(() => states.Count > 0 && world.Server.FailedLogins(mailbox) > before);
            await Task.Delay(1000);
            Assert.Equal(MailErrors.WrongPassword, Assert.Single(states).Failure);
        }
        Assert.Equal(before + 1, world.Server.FailedLogins(mailbox));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The expected change did not happen in time.");
            await Task.Delay(50);
        }
    }

    private async Task DeliverAsync(MailUser from, MailUser to, string subject)
    {
        var message = new MimeMessageBuilder { From = new MailboxAddress("Expéditeur", from.Address), Subject = subject, TextBody = "Bonjour." };
        message.To.Add(new MailboxAddress(null, to.Address));
        await world.SendAsync(from, message);
    }

    /// <summary>What the watch needs from the portal: a tenant scope, a localizer and a notifier that records.</summary>
    private static ServiceProvider Services(Notes notes)
    {
        var services = new ServiceCollection();
        services.AddScoped<TenantContext>();
        services.AddScoped<ITenantContext>(sp => sp.GetRequiredService<TenantContext>());
        services.AddSingleton(notes);
        services.AddScoped<INotifier, RecordingNotifier>();
        services.AddLogging();
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddSingleton<IStringLocalizer<MailText>, StringLocalizer<MailText>>();
        return services.BuildServiceProvider();
    }

    private sealed record Note(Guid? TenantId, string ModuleId, Guid UserId, NotificationMessage Message);

    private sealed class Notes : List<Note>;

    private sealed class RecordingNotifier(Notes notes, ITenantContext tenant) : INotifier
    {
        public Task NotifyAsync(string moduleId, Guid userId, NotificationMessage message, CancellationToken cancellationToken = default)
        {
            lock (notes)
                notes.Add(new Note(tenant.TenantId, moduleId, userId, message));
            return Task.CompletedTask;
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = DateTimeOffset.UtcNow;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
