using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Notifications;
using Suite.Kernel.Tenancy;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>The notifications area: a module notifies a user of its ministry; only that user sees it.</summary>
public abstract class NotificationTests<TWorld>(TWorld world) : IClassFixture<TWorld> where TWorld : PortalWorld
{
    [Fact]
    public async Task A_notification_reaches_only_its_recipient()
    {
        using var alice = await world.SignInAsync("alice@interieur.test");
        using var dora = await world.SignInAsync("dora@interieur.test");
        var aliceBefore = await UnreadAsync(alice);
        var doraBefore = await UnreadAsync(dora);

        using var sent = await alice.RawPostAsync("/api/sample/notify");
        Assert.Equal(HttpStatusCode.NoContent, sent.StatusCode);

        Assert.Equal(aliceBefore + 1, await UnreadAsync(alice));
        Assert.Equal(doraBefore, await UnreadAsync(dora));
    }

    [Fact]
    public async Task A_module_cannot_notify_a_user_of_another_ministry()
    {
        var alice = world.Host.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Identity.SuiteUser>>();
        var aliceId = (await alice.FindByEmailAsync("alice@interieur.test"))!.Id;
        var carla = (await alice.FindByEmailAsync("carla@culture.test"))!;
        await using var scope = world.Host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(carla.TenantId!.Value));
        var notifier = scope.ServiceProvider.GetRequiredService<INotifier>();
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => notifier.NotifyAsync("sample", aliceId, new NotificationMessage("Hors ministère")));
        Assert.Contains("not a user of the current ministry", refused.Message);
    }

    [Fact]
    public async Task A_link_that_leaves_the_portal_is_dropped()
    {
        var users = world.Host.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Identity.SuiteUser>>();
        var bob = (await users.FindByEmailAsync("bob@interieur.test"))!;
        await using (var scope = world.Host.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(TenantScope.ForTenant(bob.TenantId!.Value));
            var notifier = scope.ServiceProvider.GetRequiredService<INotifier>();
            await notifier.NotifyAsync("sample", bob.Id, new NotificationMessage("Lien externe", Link: "//evil.example/x"));
        }
        using var client = await world.SignInAsync("bob@interieur.test");
        var home = await client.GetAsync("/");
        Assert.True(await UnreadAsync(client) >= 1);
        Assert.DoesNotContain("evil.example", home.Html);
    }

    private static async Task<int> UnreadAsync(PortalClient client)
    {
        var home = await client.GetAsync("/");
        return int.Parse(home.Document.QuerySelector("#notifications-unread")!.TextContent.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class Notifications_on_sqlite(SqliteWorld world) : NotificationTests<SqliteWorld>(world);

public sealed class Notifications_on_postgresql(PostgresWorld world) : NotificationTests<PostgresWorld>(world);
