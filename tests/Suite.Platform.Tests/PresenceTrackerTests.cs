using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Suite.Kernel.Authorization;
using Suite.Kernel.Presence;
using Suite.Kernel.Tenancy;
using Suite.Platform.Features.Presence;

namespace Suite.Platform.Tests;

/// <summary>Who is present on this node, from the circuits' connections, with the grace period after the last one.</summary>
public sealed class PresenceTrackerTests
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    [Fact]
    public async Task A_person_arrives_once_whatever_her_pages_and_leaves_only_after_the_grace_period_without_any()
    {
        var clock = new ManualClock();
        var listener = new RecordingListener();
        await using var tracker = new PresenceTracker([listener], clock, NullLogger<PresenceTracker>.Instance) { Grace = TimeSpan.FromMinutes(2) };
        var alice = Scope();

        tracker.Connected("circuit-1", alice, French);
        tracker.Connected("circuit-2", alice, French);
        await listener.UntilAsync(1);
        Assert.True(tracker.IsPresent(alice.UserId!.Value));

        // A page load: one circuit goes, the next comes within the grace period; nothing is told.
        tracker.Disconnected("circuit-1");
        tracker.Disconnected("circuit-2");
        clock.Advance(TimeSpan.FromMinutes(1));
        tracker.Connected("circuit-3", alice, French);
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(tracker.IsPresent(alice.UserId!.Value));

        tracker.Disconnected("circuit-3");
        tracker.Disconnected("circuit-3");
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(tracker.IsPresent(alice.UserId!.Value));
        clock.Advance(TimeSpan.FromMinutes(1));
        await listener.UntilAsync(2);
        Assert.False(tracker.IsPresent(alice.UserId!.Value));

        tracker.Connected("circuit-4", alice, French);
        await listener.UntilAsync(3);
        Assert.Equal(["arrived " + alice.UserId, "left " + alice.UserId, "arrived " + alice.UserId], listener.Events);
    }

    [Fact]
    public async Task Anonymous_circuits_are_not_people_and_a_failing_listener_does_not_stop_the_others()
    {
        var clock = new ManualClock();
        var listener = new RecordingListener();
        await using var tracker = new PresenceTracker([new FailingListener(), listener], clock, NullLogger<PresenceTracker>.Instance);
        var bob = Scope();

        tracker.Connected("anonymous", TenantScope.Empty, French);
        tracker.Connected("bob", bob, French);
        await listener.UntilAsync(1);

        Assert.Equal(["arrived " + bob.UserId], listener.Events);
    }

    private static TenantScope Scope() => new(Guid.NewGuid(), Guid.NewGuid(), null, [], SuiteRole.Member, []);

    private sealed class RecordingListener : IPresenceListener
    {
        private readonly List<string> _events = [];

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_events)
                    return [.. _events];
            }
        }

        public Task ArrivedAsync(PresentUser user, CancellationToken cancellationToken)
        {
            lock (_events)
                _events.Add("arrived " + user.UserId);
            return Task.CompletedTask;
        }

        public Task LeftAsync(Guid userId, CancellationToken cancellationToken)
        {
            lock (_events)
                _events.Add("left " + userId);
            return Task.CompletedTask;
        }

        public async Task UntilAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (Events.Count < count)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"Expected {count} presence events, got: {string.Join(", ", Events)}");
                await Task.Delay(20);
            }
        }
    }

    private sealed class FailingListener : IPresenceListener
    {
        public Task ArrivedAsync(PresentUser user, CancellationToken cancellationToken) => throw new InvalidOperationException("broken listener");

        public Task LeftAsync(Guid userId, CancellationToken cancellationToken) => throw new InvalidOperationException("broken listener");
    }

    /// <summary>A clock that moves only when told, firing the timers that fall due.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private readonly List<ManualTimer> _timers = [];
        private DateTimeOffset _now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = new ManualTimer(this, callback, state, _now + dueTime);
            lock (_timers)
                _timers.Add(timer);
            return timer;
        }

        public void Advance(TimeSpan by)
        {
            _now += by;
            List<ManualTimer> due;
            lock (_timers)
            {
                due = _timers.Where(t => t.Due <= _now).ToList();
                _timers.RemoveAll(due.Contains);
            }
            foreach (var timer in due)
                timer.Fire();
        }

        private void Remove(ManualTimer timer)
        {
            lock (_timers)
                _timers.Remove(timer);
        }

        private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state, DateTimeOffset due) : ITimer
        {
            public DateTimeOffset Due { get; } = due;

            public void Fire() => callback(state);

            public bool Change(TimeSpan dueTime, TimeSpan period) => throw new NotSupportedException();

            public void Dispose() => clock.Remove(this);

            public ValueTask DisposeAsync()
            {
                Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }
}
