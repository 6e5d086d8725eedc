using Suite.Kernel.Tenancy;

namespace Suite.Mail.Data;

/// <summary>How one person signs in to their mailbox. The password is kept encrypted with ASP.NET Data Protection
/// (whose key ring lives in the platform database), never in clear.</summary>
internal sealed class MailAccount : ITenantScoped
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid UserId { get; set; }
    public required string Login { get; set; }
    public required string ProtectedPassword { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
