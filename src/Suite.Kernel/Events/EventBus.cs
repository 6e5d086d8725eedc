using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Suite.Kernel.Modules;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Events;

internal sealed class EventBus(IServiceScopeFactory scopes, ModuleCatalog catalog, ILogger<EventBus> logger) : IEventBus
{
    public async Task PublishAsync<TEvent>(TEvent @event, Guid? tenantId, CancellationToken cancellationToken = default) where TEvent : notnull
    {
        foreach (var module in catalog.Modules)
        {
            foreach (var subscription in module.EventSubscriptions)
            {
                if (subscription.EventType != typeof(TEvent))
                    continue;
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId is { } t ? TenantScope.ForTenant(t) : TenantScope.Empty);
                try
                {
                    if (tenantId is { } tenant && !module.Manifest.AlwaysOn)
                    {
                        var enabled = await scope.ServiceProvider.GetRequiredService<IModuleGate>().EnabledModulesForAsync(tenant, null, cancellationToken);
                        if (!enabled.Contains(subscription.ModuleId))
                            continue;
                    }
                    var handler = (IEventHandler<TEvent>)scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
                    await handler.HandleAsync(@event, cancellationToken);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    logger.LogError(error, "Handler {Handler} of module {Module} failed on {Event} for tenant {Tenant}",
                        subscription.HandlerType.Name, subscription.ModuleId, typeof(TEvent).Name, tenantId);
                }
            }
        }
    }
}
