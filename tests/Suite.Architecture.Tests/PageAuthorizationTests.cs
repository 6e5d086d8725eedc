using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Suite.Kernel.Modules;

namespace Suite.Architecture.Tests;

/// <summary>Every page of a module is gated by that module's policy (through its _Imports.razor) unless it is
/// explicitly anonymous — and the anonymous pages are a short, acknowledged list.</summary>
public sealed class PageAuthorizationTests
{
    /// <summary>Route templates of the pages that may be reached without signing in. A new anonymous page must be added
    /// here on purpose.</summary>
    private static readonly string[] AcknowledgedAnonymousRoutes =
    [
        "/account/denied",
        "/account/invitation",
        "/account/forgot",
        "/account/reset",
        "/account/login",
        "/account/login-2fa",
        "/error",
        "/meetings/{Code}/guest",
        "/not-found",
        "/setup",
        "/status/{Code:int}",
    ];

    public static TheoryData<string> ModuleAssemblies()
    {
        var data = new TheoryData<string>();
        foreach (var assembly in SuiteAssemblies.All.Where(a => a.IsModuleImplementation))
            data.Add(assembly.Name);
        return data;
    }

    private static IEnumerable<Type> Pages(SuiteAssembly assembly) =>
        SuiteAssemblies.TypesOf(assembly.Assembly).Where(t => t.GetCustomAttributes<RouteAttribute>(inherit: false).Any());

    private static bool IsAnonymous(Type page) => page.GetCustomAttributes<AllowAnonymousAttribute>(inherit: true).Any();

    [Theory]
    [MemberData(nameof(ModuleAssemblies))]
    public void Every_page_of_a_module_requires_its_module_policy_or_is_explicitly_anonymous(string name)
    {
        var assembly = SuiteAssemblies.Named(name);
        var policy = ModulePolicies.For(Assert.Single(assembly.Modules).Manifest.Id);
        var pages = Pages(assembly).ToList();

        var offenders = pages
            .Where(page => !IsAnonymous(page)
                && !page.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any(a => a.Policy == policy))
            .Select(page => page.FullName)
            .ToList();

        Assert.NotEmpty(pages);
        Assert.True(offenders.Count == 0, $"These pages of {name} carry neither [Authorize(Policy = \"{policy}\")] nor [AllowAnonymous]: {string.Join(", ", offenders)}.");
    }

    [Fact]
    public void The_anonymous_pages_are_exactly_the_acknowledged_ones()
    {
        var anonymous = SuiteAssemblies.All
            .Where(a => a.IsModuleImplementation)
            .SelectMany(Pages)
            .Where(IsAnonymous)
            .SelectMany(page => page.GetCustomAttributes<RouteAttribute>(inherit: false).Select(r => r.Template))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(AcknowledgedAnonymousRoutes.Order(StringComparer.Ordinal), anonymous);
    }

    [Fact]
    public void Routable_pages_live_only_in_module_assemblies()
    {
        var offenders = SuiteAssemblies.All
            .Where(a => !a.IsModuleImplementation)
            .SelectMany(a => Pages(a).Select(page => $"{a.Name}: {page.FullName}"))
            .ToList();

        Assert.True(offenders.Count == 0, $"Pages outside a module are not gated by any module policy: {string.Join(", ", offenders)}.");
    }
}
