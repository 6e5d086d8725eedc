using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Suite.Kernel.Events;

/// <summary>Handles one in-process event. Runs in its own scope with the event's ministry as tenant, and only
/// when the handler's module is enabled for that ministry.</summary>
public interface IEventHandler<in TEvent>
{
    Task HandleAsync(TEvent @event, CancellationToken cancellationToken);
}

public sealed record EventSubscription(string ModuleId, Type EventType, Type HandlerType);

public interface IEventBus
{
    /// <summary>Call after SaveChanges. A failing handler is logged and does not fail the publisher.</summary>
    Task PublishAsync<TEvent>(TEvent @event, Guid? tenantId, CancellationToken cancellationToken = default) where TEvent : notnull;
}

public sealed class EventBuilder(string moduleId, IServiceCollection services)
{
    private readonly List<EventSubscription> _subscriptions = [];

    public IReadOnlyList<EventSubscription> Subscriptions => _subscriptions;

    public EventBuilder On<TEvent, THandler>() where THandler : class, IEventHandler<TEvent>
    {
        services.TryAddScoped<THandler>();
        _subscriptions.Add(new EventSubscription(moduleId, typeof(TEvent), typeof(THandler)));
        return this;
    }
}
