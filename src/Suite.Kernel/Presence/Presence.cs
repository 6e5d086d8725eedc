using System.Globalization;
using Suite.Kernel.Tenancy;

namespace Suite.Kernel.Presence;

/// <summary>A signed-in person with at least one portal page open on this node.</summary>
/// <param name="Scope">Their ministry, active department and role, as loaded when the page opened.</param>
/// <param name="Culture">The language of that page (for anything written to them while they are away from it).</param>
public sealed record PresentUser(TenantScope Scope, CultureInfo Culture)
{
    public Guid UserId => Scope.UserId ?? throw new InvalidOperationException("A present user has a user id.");

    public Guid TenantId => Scope.TenantId ?? throw new InvalidOperationException("A present user belongs to a ministry.");
}

/// <summary>Whether a person has a portal page open on this node. Every signed-in page holds a Blazor circuit (the
/// header's notification bell is an interactive island), so "present" means "has a connected circuit"; a person is
/// still present during a short grace period after their last circuit drops (a full page load closes one circuit and
/// opens the next).</summary>
public interface IUserPresence
{
    bool IsPresent(Guid userId);
}

/// <summary>Told when a person arrives (their first page opens) and leaves (no page open for the grace period) on this
/// node. Registered by modules in the container; calls for one person never overlap and come in order (arrived, left,
/// arrived…). A listener must not throw: failures are logged and ignored.</summary>
public interface IPresenceListener
{
    Task ArrivedAsync(PresentUser user, CancellationToken cancellationToken);

    Task LeftAsync(Guid userId, CancellationToken cancellationToken);
}
