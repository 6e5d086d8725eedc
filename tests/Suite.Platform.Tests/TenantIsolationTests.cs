using System.Net;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Suite.Testing;

namespace Suite.Platform.Tests;

/// <summary>Every page and API route the portal exposes is tried as a user of another ministry, as a lower-level
/// administrator and as a plain member: each must be refused (403/404), never served. A new route must be
/// classified here before the suite passes, so nothing escapes the check.</summary>
public sealed class TenantIsolationTests(SqliteWorld world) : IClassFixture<SqliteWorld>
{
    /// <summary>Routes any signed-in person may use, with why.</summary>
    private static readonly Dictionary<string, string> Open = new()
    {
        ["/"] = "the portal home shows only the user's own modules",
        ["/setup"] = "closed once an administrator exists (redirects to sign-in)",
        ["/account/login"] = "sign-in",
        ["/account/login-2fa"] = "second step of sign-in, needs the two-factor cookie",
        ["/account/security"] = "the signed-in user's own two-factor settings",
        ["/account/invitation"] = "needs a valid token",
        ["/account/forgot"] = "never tells whether an address has an account",
        ["/account/reset"] = "needs a valid single-use token",
        ["/account/denied"] = "status page",
        ["/not-found"] = "status page",
        ["/error"] = "status page",
        ["/status/{Code:int}"] = "status page",
        ["/health"] = "health probe, no data",
        ["/account/logout"] = "POST only, antiforgery",
        ["/account/department"] = "POST only, checks membership",
        ["/account/culture"] = "POST only, language cookie",
        ["/meetings"] = "lists only the caller's own rooms (MeetingsTests)",
        ["/meetings/{Code}"] = "a shared link: the room's access level decides (MeetingsTests)",
        ["/meetings/{Code}/settings"] = "only the room's owner and administrators of its ministry, 404 for anyone else (MeetingsTests)",
        ["/meetings/{Code}/history"] = "only the room's owner, 404 for anyone else (MeetingsTests)",
        ["/meetings/{Code}/guest"] = "a shared link for guests: the room's access level and the guests setting decide (MeetingsCallTests)",
        ["/api/meetings/rooms/{code}/ticket"] = "a join ticket only after the room's access checks, bound to the caller's session (MeetingsCallTests)",
        ["/api/meetings/rooms/{code}/guest"] = "a guest's request to enter: access level, guests setting and lobby decide, rate limited (MeetingsCallTests)",
        ["/api/meetings/rooms/{code}/guest/{requestId:guid}"] = "a guest polls only its own lobby request, by an unguessable id (MeetingsCallTests)",
        ["/mail"] = "the caller's own mailbox (their stored credentials), gated by module:mail (Suite.Mail.Tests)",
        ["/mail/read"] = "a message of the caller's own mailbox, gated by module:mail (Suite.Mail.Tests)",
        ["/mail/compose"] = "sends from the caller's own mailbox, gated by module:mail (Suite.Mail.Tests)",
        ["/mail/account"] = "the caller's own mailbox credentials, gated by module:mail (Suite.Mail.Tests)",
        ["/api/mail/html"] = "sanitized body of a message of the caller's own mailbox, gated by module:mail (Suite.Mail.Tests)",
        ["/api/mail/part"] = "an attachment of the caller's own mailbox, gated by module:mail (Suite.Mail.Tests)",
        ["/api/mail/inline"] = "an inline image of a message of the caller's own mailbox, gated by module:mail (Suite.Mail.Tests)",
        ["/api/mail/recipients"] = "active people of the caller's own ministry only, gated by module:mail (RecipientDirectoryTests)",
        ["/sample"] = "test module page, gated by its module policy (tested in the scenario)",
        ["/api/sample/ping"] = "test module API, gated by its module policy (tested in the scenario)",
        ["/api/sample/notify"] = "test module API, gated by its module policy, notifies only the caller",
    };

    private IEnumerable<string> Routes() => world.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
        .OfType<RouteEndpoint>()
        .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is not null || e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
        .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
        .Where(r => !r.StartsWith("/_", StringComparison.Ordinal) && !r.Contains('.', StringComparison.Ordinal) && !r.Contains("{**path", StringComparison.Ordinal))
        .Distinct();

    [Fact]
    public void Every_route_is_either_open_or_an_administration_route_covered_below()
    {
        var unclassified = Routes().Where(r => !Open.ContainsKey(r) && !r.StartsWith("/admin", StringComparison.Ordinal)).ToList();
        Assert.True(unclassified.Count == 0, "Classify these routes in TenantIsolationTests: " + string.Join(", ", unclassified));
        Assert.Contains("/admin/m/{Slug}/users", Routes());
    }

    [Fact]
    public async Task An_administrator_of_another_ministry_is_refused_every_administration_route_of_this_one()
    {
        using var carla = await world.SignInAsync("carla@culture.test");
        var dgpn = await DepartmentIdAsync("dgpn");
        foreach (var route in Routes().Where(r => r.StartsWith("/admin/", StringComparison.Ordinal)))
        {
            var url = Fill(route, "interieur", dgpn);
            await AssertRefusedAsync(carla, url, "carla (ministry administrator of culture)");
        }
        // The administration home is her own: it lists her ministry only.
        var home = await carla.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, home.Status);
        Assert.DoesNotContain("interieur", home.Document.QuerySelector("main")!.InnerHtml);
        // Her own ministry is hers: the refusals above are about the other ministry, not a broken page.
        Assert.Equal(HttpStatusCode.OK, (await carla.GetAsync("/admin/m/culture/users")).Status);
    }

    [Fact]
    public async Task A_member_is_refused_every_administration_route()
    {
        using var alice = await world.SignInAsync("alice@interieur.test");
        var dgpn = await DepartmentIdAsync("dgpn");
        foreach (var route in Routes().Where(r => r.StartsWith("/admin", StringComparison.Ordinal)))
            await AssertRefusedAsync(alice, Fill(route, "interieur", dgpn), "alice (member)");
    }

    [Fact]
    public async Task A_department_administrator_is_refused_ministry_level_and_other_departments_administration()
    {
        using var dora = await world.SignInAsync("dora@interieur.test");
        var dgpn = await DepartmentIdAsync("dgpn");
        var dgsi = await DepartmentIdAsync("dgsi");
        foreach (var url in new[] { "/admin/ministries", "/admin/settings", "/admin/audit", "/admin/m/interieur/settings", "/admin/m/interieur/audit",
                     $"/admin/m/interieur/departments/{dgsi}/settings", "/admin/m/culture", "/admin/m/culture/users" })
            await AssertRefusedAsync(dora, url, "dora (department administrator of dgpn)");
        Assert.Equal(HttpStatusCode.OK, (await dora.GetAsync($"/admin/m/interieur/departments/{dgpn}/settings")).Status);
        var users = await dora.GetAsync("/admin/m/interieur/users");
        Assert.Equal(HttpStatusCode.OK, users.Status);
        var listed = users.Document.QuerySelector("#users")!.TextContent;
        Assert.Contains("alice@interieur.test", listed);
        Assert.DoesNotContain("bob@interieur.test", listed);
    }

    [Fact]
    public async Task Forged_form_posts_into_another_ministry_change_nothing()
    {
        using var carla = await world.SignInAsync("carla@culture.test");
        // Carla takes a valid form from her own ministry's page and replays it against the Interior ministry.
        var own = await carla.GetAsync("/admin/m/culture");
        own.Document.QuerySelector("#create-department")!.SetAttribute("action", "/admin/m/interieur");
        var forged = await carla.SubmitOnAsync(own with { Path = "/admin/m/interieur" }, "#create-department", new Dictionary<string, string>
        {
            ["Form.Name"] = "Infiltration", ["Form.Slug"] = "infiltration", ["Form.ParentId"] = "",
        });
        Assert.True(forged.Status is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Forbidden, $"Forged post answered {forged.Status} at {forged.Path}: {forged.Text}");

        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        Assert.DoesNotContain("Infiltration", (await admin.GetAsync("/admin/m/interieur")).Text);
    }

    private static async Task AssertRefusedAsync(PortalClient client, string url, string who)
    {
        var page = await client.GetAsync(url);
        Assert.True(page.Status is HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
            $"{who} got {(int)page.Status} at {url} (ended on {page.Path}) instead of a refusal.");
        Assert.DoesNotContain("bob@interieur.test", page.Html);
        Assert.DoesNotContain("Sécurité intérieure", page.Html);
    }

    private static string Fill(string route, string slug, Guid departmentId) => route
        .Replace("{Slug}", slug, StringComparison.Ordinal)
        .Replace("{DepartmentId:guid}", departmentId.ToString(), StringComparison.Ordinal);

    private async Task<Guid> DepartmentIdAsync(string slug)
    {
        using var admin = await world.SignInAsync(PortalWorld.AdminEmail);
        var modules = await admin.GetAsync("/admin/m/interieur/modules");
        var name = PortalWorld.DepartmentSwitch(modules, "sample", slug);
        return Guid.Parse(name.Split(':')[1]);
    }
}
