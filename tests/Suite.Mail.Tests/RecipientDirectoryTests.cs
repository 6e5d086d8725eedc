using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Suite.Kernel.Authorization;
using Suite.Kernel.People;
using Suite.Kernel.Tenancy;
using Suite.Platform.Identity;
using Suite.Testing;

namespace Suite.Mail.Tests;

/// <summary>Recipient suggestions come from the user's own ministry only.</summary>
[Collection(MailPortalCollection.Name)]
public sealed class RecipientDirectoryTests(MailPortal world)
{
    [Fact]
    public async Task Suggestions_list_colleagues_of_the_same_ministry_and_never_another_ministrys_people()
    {
        using var alice = await world.SignInAsync("alice@interieur.test");
        var bob = await SuggestAsync(alice, "dur");
        Assert.Contains(bob, p => p.Email == "bob@interieur.test" && p.Name == "Bob Durand");
        Assert.Contains(await SuggestAsync(alice, "INTERIEUR.test"), p => p.Email == "dora@interieur.test");
        Assert.Empty(await SuggestAsync(alice, "carla"));
        Assert.Empty(await SuggestAsync(alice, "culture"));
        Assert.Empty(await SuggestAsync(alice, "b"));

        // Carla's ministry has no webmail: the endpoint is closed to her.
        using var carla = await world.SignInAsync("carla@culture.test");
        using var refused = await carla.RawGetAsync("/api/mail/recipients?q=alice");
        Assert.True(refused.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"carla got {(int)refused.StatusCode}");
    }

    [Fact]
    public async Task The_directory_answers_inside_the_ministry_in_scope_and_nobody_without_one()
    {
        Guid? culture;
        using (var scope = world.Host.Services.CreateScope())
            culture = (await scope.ServiceProvider.GetRequiredService<UserManager<SuiteUser>>().FindByEmailAsync("carla@culture.test"))!.TenantId;
        Assert.NotNull(culture);

        Assert.Equal(["carla@culture.test"], (await SearchAsync(culture, "a")).Concat(await SearchAsync(culture, "ar")).Select(p => p.Email));
        Assert.Empty(await SearchAsync(culture, "alice"));
        Assert.Empty(await SearchAsync(null, "alice"));
    }

    private async Task<IReadOnlyList<Person>> SearchAsync(Guid? tenantId, string text)
    {
        await using var scope = world.Host.Services.CreateAsyncScope();
        if (tenantId is { } id)
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(new TenantScope(null, id, null, [], SuiteRole.Member, []));
        return await scope.ServiceProvider.GetRequiredService<IPeopleDirectory>().SearchAsync(text, 10);
    }

    private sealed record Suggestion(string Name, string Email);

    private static async Task<List<Suggestion>> SuggestAsync(PortalClient client, string q)
    {
        using var response = await client.RawGetAsync("/api/mail/recipients?q=" + Uri.EscapeDataString(q));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<List<Suggestion>>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
    }
}
