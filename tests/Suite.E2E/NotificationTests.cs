using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Suite.E2E;

/// <summary>The header's notifications area is an interactive island on the server-rendered portal: a notification a
/// module sends appears in an open page at once, without reloading.</summary>
public sealed class NotificationTests(SeededPortalFixture portal, ITestOutputHelper output) : IClassFixture<SeededPortalFixture>
{
    [Fact]
    public async Task A_notification_sent_by_a_module_appears_in_the_open_home_page_and_can_be_marked_read()
    {
        var journal = new Journal("notifications", output);
        await using var alice = await portal.NewActorAsync(portal.Host.BaseUrl, "Alice");
        var page = alice.Page;
        await Portal.SignInAsync(page, "alice@interieur.test", "Alice Martin");
        var unread = page.Locator("#notifications-unread");
        await Expect(unread).ToHaveTextAsync("0");
        // Wait for the circuit: the button only reacts once the island is interactive.
        var button = page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Notifications") });
        var panel = page.Locator("#notifications-panel");
        for (var tries = 0; tries < 30 && !await panel.IsVisibleAsync(); tries++)
        {
            await button.ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }
        await Expect(page.Locator("#notifications-panel")).ToContainTextAsync("Aucune notification.");

        // Another tab of the same person makes the sample module send a notification.
        var other = await alice.Context.NewPageAsync();
        await other.GotoAsync(portal.Host.BaseUrl + "/sample");
        var status = await other.EvaluateAsync<int>("async () => (await fetch('/api/sample/notify', { method: 'POST' })).status");
        Assert.Equal(204, status);

        await Expect(unread).ToHaveTextAsync("1");
        await Expect(page.Locator("#notifications-panel")).ToContainTextAsync("Échantillon prêt");
        await Expect(page.Locator("#notifications-live")).ToContainTextAsync("Nouvelle notification : Échantillon prêt");
        await journal.ShotAsync(page, "notification-arrived");

        await page.GetByRole(AriaRole.Button, new() { Name = "Tout marquer comme lu" }).ClickAsync();
        await Expect(unread).ToHaveTextAsync("0");
        await page.Locator("#notifications-panel a", new() { HasText = "Échantillon prêt" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(Portal.PathIs("/sample"));
        journal.Check(alice);
    }
}
