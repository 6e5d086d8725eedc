using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Presence;
using Suite.Kernel.Tenancy;

namespace Suite.Platform.Features.Presence;

/// <summary>Counts the connected circuits of each person on this node and tells the <see cref="IPresenceListener"/>s
/// when a person arrives (first circuit) and leaves (no circuit for <see cref="Grace"/>). Listener calls for one person
/// are chained, so they never overlap and keep their order.</summary>
internal sealed class PresenceTracker(IEnumerable<IPresenceListener> listeners, TimeProvider clock, ILogger<PresenceTracker> logger) : IUserPresence, IAsyncDisposable
{
    private readonly IPresenceListener[] _listeners = [.. listeners];
    private readonly Dictionary<Guid, Person> _people = [];
    private readonly Dictionary<string, Guid> _connections = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>How long a person stays present after their last page closed or lost its connection.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromMinutes(2);

    public bool IsPresent(Guid userId)
    {
        lock (_lock)
            return _people.TryGetValue(userId, out var person) && person.Arrived;
    }

    /// <summary>A circuit of a signed-in person is connected (opened, or reconnected after a network drop).</summary>
    public void Connected(string connectionId, TenantScope scope, CultureInfo culture)
    {
        if (scope.UserId is not { } userId || scope.TenantId is null)
            return;
        lock (_lock)
        {
            if (!_connections.TryAdd(connectionId, userId))
                return;
            if (!_people.TryGetValue(userId, out var person))
                _people[userId] = person = new Person();
            person.Connections++;
            person.LeaveTimer?.Dispose();
            person.LeaveTimer = null;
            if (person.Arrived)
                return;
            person.Arrived = true;
            var present = new PresentUser(scope, culture);
            Chain(person, listener => listener.ArrivedAsync(present, _stopping.Token));
        }
    }

    /// <summary>A circuit lost its connection or closed; the person leaves after <see cref="Grace"/> without any.</summary>
    public void Disconnected(string connectionId)
    {
        lock (_lock)
        {
            if (!_connections.Remove(connectionId, out var userId) || !_people.TryGetValue(userId, out var person))
                return;
            person.Connections--;
            if (person.Connections > 0 || !person.Arrived)
                return;
            person.LeaveTimer?.Dispose();
            person.LeaveTimer = clock.CreateTimer(_ => Leave(userId, person), null, Grace, Timeout.InfiniteTimeSpan);
        }
    }

    private void Leave(Guid userId, Person person)
    {
        lock (_lock)
        {
            if (person.Connections > 0 || !person.Arrived)
                return;
            person.Arrived = false;
            person.LeaveTimer?.Dispose();
            person.LeaveTimer = null;
            Chain(person, listener => listener.LeftAsync(userId, _stopping.Token));
        }
    }

    /// <summary>Runs the listeners after everything already queued for this person (called under the lock).</summary>
    private void Chain(Person person, Func<IPresenceListener, Task> call)
    {
        var previous = person.Tail;
        person.Tail = Task.Run(async () =>
        {
            await previous;
            foreach (var listener in _listeners)
            {
                try
                {
                    await call(listener);
                }
                catch (Exception error) when (error is not OperationCanceledException || !_stopping.IsCancellationRequested)
                {
                    logger.LogWarning(error, "A presence listener ({Listener}) failed.", listener.GetType().Name);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        Task[] pending;
        lock (_lock)
        {
            foreach (var person in _people.Values)
                person.LeaveTimer?.Dispose();
            pending = [.. _people.Values.Select(p => p.Tail)];
        }
        await _stopping.CancelAsync();
        await Task.WhenAll(pending);
        _stopping.Dispose();
    }

    private sealed class Person
    {
        public int Connections;
        public bool Arrived;
        public ITimer? LeaveTimer;
        public Task Tail = Task.CompletedTask;
    }
}

/// <summary>Feeds the <see cref="PresenceTracker"/> from each circuit: present while its connection is up. Runs after
/// <c>TenantCircuitHandler</c> has loaded the person's scope (handlers run in <see cref="Order"/>).</summary>
internal sealed class PresenceCircuitHandler(TenantContext tenant, PresenceTracker tracker) : CircuitHandler
{
    public override int Order => 100;

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        tracker.Connected(circuit.Id, tenant.Scope, CultureInfo.CurrentUICulture);
        return Task.CompletedTask;
    }

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        tracker.Disconnected(circuit.Id);
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        tracker.Disconnected(circuit.Id);
        return Task.CompletedTask;
    }
}
