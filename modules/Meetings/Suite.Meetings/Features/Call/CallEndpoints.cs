using System.Net.WebSockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Suite.Meetings.Features.Call;

/// <summary>
/// The call's HTTP surface under /api/meetings: tickets for signed-in people, the guest entry (name → ticket or
/// lobby), and the signalling WebSocket. The socket and the guest entry are anonymous at the routing level on purpose:
/// a guest has no cookie, so <see cref="CallEntry"/> checks the ticket, the gate, tenancy and access itself.
/// </summary>
internal static class CallEndpoints
{
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

    // Asking as a guest puts a row in the lobby and notifies hosts: limit it per client address.
    private static readonly PartitionedRateLimiter<HttpContext> GuestLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = 30,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));

    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapPost("/rooms/{code}/ticket", MemberTicketAsync);
        api.MapPost("/rooms/{code}/guest", GuestAsync).AllowAnonymous();
        api.MapGet("/rooms/{code}/guest/{requestId:guid}", GuestStatusAsync).AllowAnonymous();

        // WebSockets need their middleware; it runs for this endpoint only (as SignalR does for its hubs).
        var socket = api.CreateApplicationBuilder();
        socket.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        socket.Run(SignalAsync);
        api.Map("/call", socket.Build()).AllowAnonymous();
    }

    internal sealed record GuestRequest(string? DisplayName);

    private static async Task<IResult> MemberTicketAsync(string code, Guid? request, CallEntry entry, CancellationToken cancellationToken)
    {
        if (await entry.FindAsync(code, cancellationToken: cancellationToken) is not { } room)
            return Answer(null);
        return Answer(await entry.ForMemberAsync(room, request, cancellationToken));
    }

    private static async Task<IResult> GuestAsync(string code, GuestRequest body, HttpContext http, CallEntry entry, CancellationToken cancellationToken)
    {
        using var lease = GuestLimiter.AttemptAcquire(http);
        if (!lease.IsAcquired)
            return Results.Json(new { status = "rate-limited" }, statusCode: StatusCodes.Status429TooManyRequests);
        if (await entry.FindAsync(code, cancellationToken: cancellationToken) is not { } room)
            return Answer(null);
        return Answer(await entry.ForGuestAsync(room, body.DisplayName, cancellationToken));
    }

    private static async Task<IResult> GuestStatusAsync(string code, Guid requestId, CallEntry entry, CancellationToken cancellationToken)
    {
        if (await entry.FindAsync(code, cancellationToken: cancellationToken) is not { } room)
            return Answer(null);
        return Answer(await entry.GuestStatusAsync(room, requestId, cancellationToken));
    }

    public static string StatusName(CallEntryStatus status) => status switch
    {
        CallEntryStatus.Ticket => "ticket",
        CallEntryStatus.Waiting => "waiting",
        CallEntryStatus.Full => "full",
        CallEntryStatus.Unavailable => "unavailable",
        CallEntryStatus.GuestsNotAllowed => "guests-not-allowed",
        CallEntryStatus.InvalidName => "invalid-name",
        _ => "refused",
    };

    private static IResult Answer(CallEntryResult? result)
    {
        if (result is null)
            return Results.Json(new { status = "not-found" }, statusCode: StatusCodes.Status404NotFound);
        var status = result.Status switch
        {
            CallEntryStatus.Ticket => StatusCodes.Status200OK,
            CallEntryStatus.Waiting => StatusCodes.Status202Accepted,
            CallEntryStatus.Full => StatusCodes.Status409Conflict,
            CallEntryStatus.InvalidName => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status403Forbidden,
        };
        return Results.Json(new { status = StatusName(result.Status), ticket = result.Ticket, requestId = result.RequestId, role = result.Role },
            CallProtocol.Json, statusCode: status);
    }

    private static async Task SignalAsync(HttpContext http)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Suite.Meetings.Call");
        if (!http.WebSockets.IsWebSocketRequest)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // Browsers send Origin on a WebSocket handshake and the socket is not covered by CORS: refuse other sites.
        if (http.Request.Headers.Origin is [{ } origin] && (!Uri.TryCreate(origin, UriKind.Absolute, out var from) || !string.Equals(from.Authority, http.Request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            logger.LogWarning("Signalling socket refused for origin {Origin}", origin);
            http.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var services = http.RequestServices;
        var connection = new CallConnection(socket, logger, services.GetRequiredService<SignallingLimits>(), services.GetRequiredService<TimeProvider>());
        var aborted = http.RequestAborted;
        var writer = connection.WriteLoopAsync(aborted);
        try
        {
            await RunAsync(connection, services, logger, aborted);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            logger.LogError(error, "Signalling connection {Connection} failed", connection.Id);
            connection.Send(new { type = "error", code = CallErrors.Invalid });
        }
        finally
        {
            connection.Close("closed");
            await writer;
        }
    }

    private static async Task RunAsync(CallConnection connection, IServiceProvider services, ILogger logger, CancellationToken aborted)
    {
        using var joinTimeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        joinTimeout.CancelAfter(JoinTimeout);
        var first = await connection.ReceiveAsync(joinTimeout.Token);
        if (first is null)
            return;
        if (CallProtocol.Parse(first) is not { Type: "join" } join || !CallProtocol.TryString(join.Body, "ticket", 4096, out var token)
            || !CallProtocol.TryOptionalBool(join.Body, "mic", out var mic) || !CallProtocol.TryOptionalBool(join.Body, "camera", out var camera))
        {
            logger.LogWarning("Signalling connection {Connection}: the first message was not a valid join", connection.Id);
            connection.Send(new { type = "error", code = CallErrors.NotJoined, about = "join" });
            return;
        }
        var entry = services.GetRequiredService<CallEntry>();
        var (admission, error) = await entry.AdmitAsync(token, aborted);
        if (admission is null)
        {
            logger.LogWarning("Signalling connection {Connection}: join refused ({Code})", connection.Id, error);
            connection.Send(new { type = "error", code = error, about = "join" });
            return;
        }
        CallRoom room;
        try
        {
            room = services.GetRequiredService<CallRooms>().Open(admission.Room);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            logger.LogError(failure, "The media server is not available for room {Room}", admission.Room.Code);
            connection.Send(new { type = "error", code = CallErrors.MediaUnavailable, about = "join" });
            return;
        }
        var max = await entry.MaxParticipantsAsync(admission.Room, aborted);
        var (participant, refused) = await room.Run(() => room.Join(admission, connection, mic ?? true, camera ?? true, max));
        if (participant is null)
        {
            connection.Send(new { type = "error", code = refused, about = "join" });
            return;
        }
        var generation = participant.Generation;
        while (await connection.ReceiveAsync(aborted) is { } frame)
        {
            if (!connection.TryTake())
                continue;
            if (CallProtocol.Parse(frame) is not { } message)
            {
                room.Post(() => room.Refuse(participant, "?", CallErrors.Malformed));
                continue;
            }
            room.Post(() => room.Handle(participant, generation, message));
        }
        room.Post(() => room.Disconnected(participant, generation));
    }
}
