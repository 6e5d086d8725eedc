using Microsoft.AspNetCore.DataProtection;
using Suite.Kernel.Authorization;
using Suite.Kernel.People;
using Suite.Kernel.Settings;
using Suite.Kernel.Tenancy;
using Suite.Mail.Contracts;
using Suite.Mail.Features.Accounts;
using Suite.Mail.Features.Compose;
using Suite.Mail.Features.Connection;
using Suite.Mail.Features.Folders;
using Suite.Mail.Protocols.Imap;
using Suite.Mail.Protocols.Mime;

namespace Suite.Mail.Tests;

/// <summary>The ministry's master-user mode against the real Dovecot (master passdb, <c>address*webmail</c>).</summary>
[Collection(MailPortalCollection.Name)]
public sealed class MasterUserTests(MailPortal world)
{
    [Fact]
    public async Task In_master_mode_the_portal_opens_and_sends_from_the_persons_own_mailbox_without_their_password()
    {
        var mailbox = world.Server.NextUser();
        var correspondent = world.Server.NextUser();
        var incoming = new MimeMessageBuilder { From = new MailboxAddress(null, correspondent.Address), Subject = "Pour le compte maître", TextBody = "Bonjour." };
        incoming.To.Add(new MailboxAddress(null, mailbox.Address));
        await world.SendAsync(correspondent, incoming);
        await world.WaitForAsync(mailbox, "INBOX", "Pour le compte maître");

        var person = new Person(Guid.NewGuid(), "Agent Maître", mailbox.Address);
        var settings = Settings(world.Server.MasterPassword);
        var (accounts, me) = Accounts(settings, person);
        var credentials = (await accounts.CredentialsAsync())!;
        Assert.Equal($"{mailbox.Address}*{world.Server.MasterUser}", credentials.Login);
        Assert.Equal(mailbox.Address, credentials.Sender);
        Assert.Equal(mailbox.Address, await accounts.LoginAsync());

        await using (var connection = new MailboxConnection(accounts, new MailServers(settings)))
        {
            var imap = await connection.OpenAsync();
            await imap.ExamineAsync("INBOX");
            Assert.Single((await imap.UidSearchAsync(ImapSearchQuery.Subject("Pour le compte maître"))).Uids);

            var composer = new Composer(connection, accounts, new MailServers(settings), new Mailboxes(connection), me);
            var outcome = await composer.SendAsync(new Draft(correspondent.Address, "", "Réponse par le compte maître", "Bien reçu."), []);
            Assert.True(outcome.Sent, outcome.Failure?.Key);
        }
        var received = await world.WaitForAsync(correspondent, "INBOX", "Réponse par le compte maître");
        Assert.Equal(mailbox.Address, received.Envelope!.From.Mailboxes.Single().Address);
        await world.WaitForAsync(mailbox, "Sent", "Réponse par le compte maître");
    }

    [Fact]
    public async Task A_wrong_master_password_an_unfinished_configuration_and_an_unknown_person_are_each_refused()
    {
        var mailbox = world.Server.NextUser();
        var person = new Person(Guid.NewGuid(), "Agent", mailbox.Address);
        var (wrong, _) = Accounts(Settings("pas-le-bon"), person);
        await using (var connection = new MailboxConnection(wrong, new MailServers(Settings("pas-le-bon"))))
            Assert.Equal(MailErrors.WrongPassword, (await Assert.ThrowsAsync<MailUnavailableException>(() => connection.OpenAsync())).Key);

        var (unfinished, _) = Accounts(Settings(null), person);
        Assert.Equal(MailErrors.NotConfigured, (await Assert.ThrowsAsync<MailUnavailableException>(() => unfinished.CredentialsAsync())).Key);

        // The directory knows only the current ministry's people: someone else gets no mailbox at all.
        var (stranger, _) = Accounts(Settings(world.Server.MasterPassword), person, known: false);
        Assert.Null(await stranger.CredentialsAsync());
    }

    private FixedSettings Settings(string? masterPassword) => new(new Dictionary<string, string?>
    {
        [MailNames.Settings.ImapHost.Name] = "127.0.0.1",
        [MailNames.Settings.ImapPort.Name] = world.Server.ImapPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [MailNames.Settings.ImapTls.Name] = MailTlsModes.StartTls,
        [MailNames.Settings.SmtpHost.Name] = "127.0.0.1",
        [MailNames.Settings.SmtpPort.Name] = world.Server.SubmissionPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [MailNames.Settings.SmtpTls.Name] = MailTlsModes.StartTls,
        [MailNames.Settings.TrustedCertificate.Name] = world.Server.Certificate.Thumbprint,
        [MailNames.Settings.AuthMode.Name] = MailAuthModes.Master,
        [MailNames.Settings.MasterUser.Name] = world.Server.MasterUser,
        [MailNames.Settings.MasterPassword.Name] = masterPassword,
    });

    private static (MailAccounts Accounts, TenantContext Me) Accounts(ISettingProvider settings, Person person, bool known = true)
    {
        var me = new TenantContext();
        me.Set(new TenantScope(person.UserId, Guid.NewGuid(), null, [], SuiteRole.Member, [], person.DisplayName));
        // Master mode never reads the per-user accounts table.
        return (new MailAccounts(contexts: null!, me, new EphemeralDataProtectionProvider(), TimeProvider.System, settings, new OneMinistry(known ? person : null)), me);
    }

    private sealed class OneMinistry(Person? member) : IPeopleDirectory
    {
        public Task<IReadOnlyList<Person>> SearchAsync(string text, int max, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<Person>>(member is null ? [] : [member]);

        public Task<Person?> FindAsync(Guid userId, CancellationToken cancellationToken = default) =>
            Task.FromResult(member?.UserId == userId ? member : null);
    }

    private sealed class FixedSettings(IReadOnlyDictionary<string, string?> values) : ISettingProvider
    {
        public Task<T> GetAsync<T>(Setting<T> setting, CancellationToken cancellationToken = default) =>
            Task.FromResult(SettingResolution.Convert<T>(values.GetValueOrDefault(setting.Name) ?? setting.Definition.DefaultValue));

        public Task<T> GetAsync<T>(Setting<T> setting, SettingTarget target, CancellationToken cancellationToken = default) => GetAsync(setting, cancellationToken);
    }
}
