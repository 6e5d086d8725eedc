using Microsoft.Playwright;
using Suite.Testing;

namespace Suite.E2E;

/// <summary>One headless Debian Chromium per test class. Every actor (administrator, each agent) gets a fresh
/// <see cref="IBrowserContext"/>: its own cookies and storage, as if on their own machine.</summary>
public class BrowserFixture : IAsyncLifetime
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser fixture is not started.");

    public virtual async Task InitializeAsync()
    {
        // The machine is shared with other builds: give auto-waiting assertions room before calling a page broken.
        Assertions.SetDefaultExpectTimeout(20_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.ExecutablePath,
            Headless = true,
            Args = ChromiumLocator.LaunchArgs,
        });
    }

    /// <summary>Another Chromium, launched with <paramref name="args"/> instead of the usual flags (e.g. without the
    /// fake permission prompt, so that a request for the camera and microphone is refused). The caller disposes it.</summary>
    public Task<IBrowser> LaunchAsync(IEnumerable<string> args) =>
        (_playwright ?? throw new InvalidOperationException("The browser fixture is not started.")).Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumLocator.ExecutablePath,
            Headless = true,
            Args = args,
        });

    /// <summary>A fresh browser context (cookies, storage) for one person, French by default, in <paramref name="browser"/>
    /// (the fixture's own by default).</summary>
    public async Task<Actor> NewActorAsync(string baseUrl, string name, ViewportSize? viewport = null, bool bypassCsp = false, IBrowser? browser = null)
    {
        var size = viewport ?? Desktop;
        var phone = size.Width < 600;
        var context = await (browser ?? Browser).NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseUrl,
            ViewportSize = size,
            IsMobile = phone,
            HasTouch = phone,
            Locale = "fr-FR",
            BypassCSP = bypassCsp,
        });
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        return new Actor(name, context, page);
    }

    public virtual async Task DisposeAsync()
    {
        if (_browser is not null)
            await _browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

/// <summary>A person at their own browser. Records server errors (5xx), which fail the tests, and uncaught script
/// errors, which the tests write to their output.</summary>
public sealed class Actor : IAsyncDisposable
{
    private readonly List<string> _problems = [];
    private readonly List<string> _scriptErrors = [];

    public Actor(string name, IBrowserContext context, IPage page)
    {
        Name = name;
        Context = context;
        Page = page;
        page.Response += (_, response) =>
        {
            if (response.Status >= 500)
                lock (_problems) _problems.Add($"{response.Status} {response.Request.Method} {response.Url}");
        };
        page.PageError += (_, error) => { lock (_scriptErrors) _scriptErrors.Add($"{page.Url}: {error.Split('\n')[0]}"); };
    }

    public string Name { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }

    public IReadOnlyList<string> Problems { get { lock (_problems) return [.. _problems]; } }

    public IReadOnlyList<string> ScriptErrors { get { lock (_scriptErrors) return [.. _scriptErrors]; } }

    public void AssertNoServerErrors() =>
        Assert.True(Problems.Count == 0, $"{Name}'s browser got server errors: {string.Join("; ", Problems)}");

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();
}
