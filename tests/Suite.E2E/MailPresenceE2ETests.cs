using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Suite.Mail.Protocols.Mime;
using Suite.Testing.Mail;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>A browser, a real Postfix + Dovecot and the portal with a short presence grace period, so that a person
/// who closes their last page is "gone" quickly.</summary>
public sealed class MailPresenceFixture : BrowserFixture
{
    public MailPortal World { get; } = new() { ExtraSettings = new Dictionary<string, string?> { ["Suite:Presence:Grace"] = "00:00:03" } };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await World.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await World.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>New mail is announced by the header's bell on every portal page, not only on the mail pages (ADR 0014).</summary>
public sealed class MailPresenceE2ETests(MailPresenceFixture fixture) : IClassFixture<MailPresenceFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private MailPortal World => fixture.World;

    [Fact]
    public async Task New_mail_rings_the_bell_of_its_owner_on_a_non_mail_page_once_and_the_watch_ends_when_she_leaves()
    {
        var aliceBox = World.Server.NextUser();
        var sender = World.Server.NextUser();
        var alice = await fixture.NewActorAsync(World.Host.BaseUrl, "Alice");
        await Portal.SignInAsync(alice.Page, "alice@interieur.test", "Alice Martin");
        await alice.Page.GotoAsync("/mail/account");
        await SaveMailboxAsync(alice.Page, aliceBox);

        // Alice goes to the portal's home page; Carla (Culture, no mail there) and Dora (Interior, no mailbox saved)
        // are on theirs.
        await alice.Page.GotoAsync("/");
        await using var carla = await fixture.NewActorAsync(World.Host.BaseUrl, "Carla");
        await Portal.SignInAsync(carla.Page, "carla@culture.test", "Carla Roux");
        await using var dora = await fixture.NewActorAsync(World.Host.BaseUrl, "Dora");
        await Portal.SignInAsync(dora.Page, "dora@interieur.test", "Dora Petit");
        await Expect(alice.Page.Locator("#notifications-unread")).ToHaveTextAsync("0");
        await UntilAsync(() => World.Server.IdlingImapSessions(aliceBox) == 1);

        await World.SendAsync(sender, Message(sender, aliceBox, "Note de service du jour"));
        await Expect(alice.Page.Locator("#notifications-unread")).ToHaveTextAsync("1");

        // A second message: the bell counts two, so the first was announced once and not twice.
        await World.SendAsync(sender, Message(sender, aliceBox, "Compte rendu de réunion"));
        await Expect(alice.Page.Locator("#notifications-unread")).ToHaveTextAsync("2");
        await alice.Page.Locator("#notifications-button").ClickAsync();
        var items = alice.Page.Locator("#notifications-panel li[data-module='mail']");
        await Expect(items).ToHaveCountAsync(2);
        await Expect(items.Filter(new() { HasText = "Note de service du jour" })).ToHaveCountAsync(1);
        await Expect(items.Filter(new() { HasText = "Compte rendu de réunion" })).ToHaveCountAsync(1);

        // Nobody else heard of Alice's mail.
        await carla.Page.ReloadAsync();
        await Expect(carla.Page.Locator("#notifications-unread")).ToHaveTextAsync("0");
        await dora.Page.ReloadAsync();
        await Expect(dora.Page.Locator("#notifications-unread")).ToHaveTextAsync("0");
        Assert.Equal(1, World.Server.IdlingImapSessions(aliceBox));

        // Alice closes her last page: after the grace period her IDLE connection is closed.
        await alice.DisposeAsync();
        await UntilAsync(() => World.Server.IdlingImapSessions(aliceBox) == 0);
        alice.AssertNoServerErrors();
    }

    private static MimeMessageBuilder Message(MailUser from, MailUser to, string subject)
    {
        var message = new MimeMessageBuilder { From = new MailboxAddress("Secrétariat", from.Address), Subject = subject, TextBody = "Bonjour." };
        message.To.Add(new MailboxAddress(null, to.Address));
        return message;
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("The expected change did not happen in time.");
            await Task.Delay(100);
        }
    }

    private static async Task SaveMailboxAsync(IPage page, MailUser mailbox)
    {
        await page.GetByLabel(new Regex("^Identifiant de messagerie")).FillAsync(mailbox.Address);
        await page.GetByLabel(new Regex("^Mot de passe de messagerie")).FillAsync(mailbox.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Vérifier et enregistrer" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/mail\\?done=account$"));
    }
}
