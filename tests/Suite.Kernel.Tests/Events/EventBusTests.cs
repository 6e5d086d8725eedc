using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Authorization;
using Suite.Kernel.Events;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;
using Suite.Kernel.Tests.Support;

namespace Suite.Kernel.Tests.Events;

public sealed class EventBusTests
{
    public sealed record MeetingEnded(string Room);

    public sealed record RoomOpened(string Room);

    internal sealed record Seen(string Handler, Guid? TenantId, Guid? UserId, TenantContext Context, MeetingEnded Event);

    internal sealed class Journal
    {
        public ConcurrentQueue<Seen> Entries { get; } = new();

        public IReadOnlyList<string> Handlers => [.. Entries.Select(e => e.Handler)];
    }

    internal abstract class RecordingHandler(string name, Journal journal, TenantContext tenant) : IEventHandler<MeetingEnded>
    {
        public Task HandleAsync(MeetingEnded @event, CancellationToken cancellationToken)
        {
            journal.Entries.Enqueue(new Seen(name, tenant.TenantId, tenant.UserId, tenant, @event));
            return Task.CompletedTask;
        }
    }

    internal sealed class PlatformHandler(Journal journal, TenantContext tenant) : RecordingHandler("platform", journal, tenant);

    internal sealed class ChatHandler(Journal journal, TenantContext tenant) : RecordingHandler("chat", journal, tenant);

    internal sealed class SecondChatHandler(Journal journal, TenantContext tenant) : RecordingHandler("chat-second", journal, tenant);

    internal sealed class MailHandler(Journal journal, TenantContext tenant) : RecordingHandler("mail", journal, tenant);

    internal sealed class ThrowingHandler : IEventHandler<MeetingEnded>
    {
        public Task HandleAsync(MeetingEnded @event, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The handler broke.");
    }

    internal sealed class RoomOpenedHandler(Journal journal, TenantContext tenant) : IEventHandler<RoomOpened>
    {
        public Task HandleAsync(RoomOpened @event, CancellationToken cancellationToken)
        {
            journal.Entries.Enqueue(new Seen("room-opened", tenant.TenantId, tenant.UserId, tenant, new MeetingEnded(@event.Room)));
            return Task.CompletedTask;
        }
    }

    private sealed class Harness : IAsyncDisposable
    {
        public Harness(params ISuiteModule[] modules)
        {
            var services = new ServiceCollection();
            services.AddLogging(logging => logging.AddProvider(Logs));
            services.AddSuiteKernel(TestConfiguration.Empty(), modules);
            services.AddSingleton(Journal);
            services.AddSingleton(Enabled);
            services.AddScoped<IModuleGate>(sp => new FakeModuleGate(Enabled, sp.GetRequiredService<ITenantContext>()));
            Provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        }

        public Journal Journal { get; } = new();
        public EnabledModules Enabled { get; } = new();
        public CapturingLoggerProvider Logs { get; } = new();
        public ServiceProvider Provider { get; }
        public IEventBus Bus => Provider.GetRequiredService<IEventBus>();

        public ValueTask DisposeAsync() => Provider.DisposeAsync();
    }

    private static readonly Guid Ministry = Guid.NewGuid();

    [Fact]
    public async Task A_handler_runs_in_a_new_scope_with_the_event_tenant()
    {
        await using var harness = new Harness(
            new TestModule("platform", alwaysOn: true, build: m => m.Events.On<MeetingEnded, PlatformHandler>()),
            new TestModule("chat", build: m => m.Events.On<MeetingEnded, ChatHandler>()));
        harness.Enabled.Enable(Ministry, "chat");
        await using var publisherScope = harness.Provider.CreateAsyncScope();
        var publisherTenant = publisherScope.ServiceProvider.GetRequiredService<TenantContext>();
        var otherMinistry = Guid.NewGuid();
        var publisherUser = Guid.NewGuid();
        publisherTenant.Set(new TenantScope(publisherUser, otherMinistry, null, [], SuiteRole.Member, []));
        var @event = new MeetingEnded("room-1");

        await publisherScope.ServiceProvider.GetRequiredService<IEventBus>().PublishAsync(@event, Ministry);

        var seen = harness.Journal.Entries.ToList();
        Assert.Equal(["platform", "chat"], seen.Select(s => s.Handler));
        Assert.All(seen, s =>
        {
            Assert.Equal(Ministry, s.TenantId);
            Assert.Null(s.UserId);
            Assert.NotSame(publisherTenant, s.Context);
            Assert.Same(@event, s.Event);
        });
        Assert.NotSame(seen[0].Context, seen[1].Context);
        Assert.Equal(otherMinistry, publisherTenant.TenantId);
        Assert.Equal(publisherUser, publisherTenant.UserId);
    }

    [Fact]
    public async Task A_handler_is_not_called_when_its_module_is_disabled_for_the_event_tenant()
    {
        await using var harness = new Harness(
            new TestModule("platform", alwaysOn: true, build: m => m.Events.On<MeetingEnded, PlatformHandler>()),
            new TestModule("chat", build: m => m.Events.On<MeetingEnded, ChatHandler>()),
            new TestModule("mail", build: m => m.Events.On<MeetingEnded, MailHandler>()));
        var other = Guid.NewGuid();
        harness.Enabled.Enable(Ministry, "mail").Enable(other, "chat");

        await harness.Bus.PublishAsync(new MeetingEnded("room-1"), Ministry);

        Assert.Equal(["platform", "mail"], harness.Journal.Handlers);
        Assert.Contains(harness.Enabled.Questions, q => q == (Ministry, null));
        Assert.DoesNotContain(harness.Enabled.Questions, q => q.TenantId == other);
    }

    [Fact]
    public async Task The_same_handler_runs_for_the_ministry_that_enabled_its_module()
    {
        await using var harness = new Harness(
            new TestModule("chat", build: m => m.Events.On<MeetingEnded, ChatHandler>()));
        var enabledMinistry = Guid.NewGuid();
        harness.Enabled.Enable(enabledMinistry, "chat");

        await harness.Bus.PublishAsync(new MeetingEnded("a"), Ministry);
        await harness.Bus.PublishAsync(new MeetingEnded("b"), enabledMinistry);

        var seen = Assert.Single(harness.Journal.Entries);
        Assert.Equal((enabledMinistry, "b"), (seen.TenantId!.Value, seen.Event.Room));
    }

    [Fact]
    public async Task A_throwing_handler_does_not_fail_the_publisher_and_later_handlers_still_run()
    {
        await using var harness = new Harness(
            new TestModule("mail", build: m => m.Events.On<MeetingEnded, ThrowingHandler>()),
            new TestModule("chat", build: m => m.Events
                .On<MeetingEnded, ThrowingHandler>()
                .On<MeetingEnded, ChatHandler>()
                .On<MeetingEnded, SecondChatHandler>()));
        harness.Enabled.Enable(Ministry, "mail", "chat");

        await harness.Bus.PublishAsync(new MeetingEnded("room-1"), Ministry);

        Assert.Equal(["chat", "chat-second"], harness.Journal.Handlers);
        var errors = harness.Logs.Entries.Where(e => e.Level == LogLevel.Error).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.IsType<InvalidOperationException>(e.Error));
        Assert.Contains(errors, e => e.Message.Contains("mail", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("chat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_handlers_of_the_published_event_type_run()
    {
        await using var harness = new Harness(
            new TestModule("chat", build: m => m.Events
                .On<MeetingEnded, ChatHandler>()
                .On<RoomOpened, RoomOpenedHandler>()));
        harness.Enabled.Enable(Ministry, "chat");

        await harness.Bus.PublishAsync(new RoomOpened("room-9"), Ministry);

        var seen = Assert.Single(harness.Journal.Entries);
        Assert.Equal(("room-opened", "room-9"), (seen.Handler, seen.Event.Room));
    }

    [Fact]
    public async Task Handlers_of_an_unavailable_module_never_run()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var journal = new Journal();
        var enabled = new EnabledModules().Enable(Ministry, "chat");
        services.AddSuiteKernel(TestConfiguration.Unavailable("chat"),
            [new TestModule("chat", build: m => m.Events.On<MeetingEnded, ChatHandler>())]);
        services.AddSingleton(journal);
        services.AddScoped<IModuleGate>(sp => new FakeModuleGate(enabled, sp.GetRequiredService<ITenantContext>()));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IEventBus>().PublishAsync(new MeetingEnded("room-1"), Ministry);

        Assert.Empty(journal.Entries);
    }
}
