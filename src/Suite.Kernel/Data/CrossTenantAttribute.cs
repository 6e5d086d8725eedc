namespace Suite.Kernel.Data;

/// <summary>Marks an entity that has a TenantId but deliberately carries no tenant filter, with the reason.
/// The architecture tests accept a TenantId column only on <see cref="Tenancy.ITenantScoped"/> entities or on these.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class CrossTenantAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}
