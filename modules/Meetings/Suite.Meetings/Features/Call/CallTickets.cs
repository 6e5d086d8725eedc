using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Suite.Meetings.Features.Call;

/// <summary>What the page decided about one person entering one room, carried to the signalling socket.</summary>
/// <param name="UserId">Null for a guest.</param>
/// <param name="TenantId">The visitor's ministry (null for a guest).</param>
/// <param name="LobbyRequestId">Set when a host let this person in from the lobby: the socket checks the admission still holds.</param>
/// <param name="ParticipantId">Set on a rejoin ticket, so a reconnection replaces the same participant.</param>
internal sealed record CallTicket(Guid RoomId, Guid? UserId, Guid? TenantId, string DisplayName, Guid? LobbyRequestId, string? ParticipantId);

/// <summary>
/// Short-lived signed join tickets (ASP.NET Data Protection, time-limited). A guest has no cookie, so the ticket is
/// their only credential; a signed-in person's ticket is also bound to their user id and checked against the cookie,
/// so a copied ticket is useless without the session.
/// </summary>
internal sealed class CallTickets(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("Suite.Meetings.Call.Ticket.v1").ToTimeLimitedDataProtector();

    public string Issue(CallTicket ticket) =>
        _protector.Protect(JsonSerializer.Serialize(ticket), clock.GetUtcNow() + Lifetime);

    public CallTicket? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096)
            return null;
        try
        {
            var json = _protector.Unprotect(token, out var expiration);
            return expiration <= clock.GetUtcNow() ? null : JsonSerializer.Deserialize<CallTicket>(json);
        }
        catch (Exception error) when (error is CryptographicException or JsonException or FormatException)
        {
            return null;
        }
    }
}
