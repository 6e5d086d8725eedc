using System.Net;

namespace Suite.Meetings.Media.Stun;

/// <summary>
/// The server side of ICE connectivity checks for a lite agent (RFC 8445 §7.3, RFC 8489 §6.3): validates a Binding
/// request against the local credentials and writes the response. A lite agent is always controlled and never sends
/// checks itself; consent freshness (RFC 7675) is the same exchange repeated, so it goes through here too.
/// </summary>
internal static class IceLiteBindingResponder
{
    /// <summary>
    /// Processes one datagram. When the outcome calls for an answer, <paramref name="responseLength"/> &gt; 0 bytes
    /// of <paramref name="response"/> are to be sent back to the remote address. Never throws on bad input.
    /// </summary>
    public static IceBindingOutcome Process(
        ReadOnlySpan<byte> datagram,
        IceLiteCredentials credentials,
        IPAddress remoteAddress,
        ushort remotePort,
        Span<byte> response,
        out int responseLength,
        out IceBindingRequest request)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(remoteAddress);
        responseLength = 0;
        request = default;

        if (!StunMessage.TryParse(datagram, out StunMessage message, out _))
        {
            return IceBindingOutcome.Malformed;
        }

        if (!message.IsBindingRequest)
        {
            return IceBindingOutcome.NotBindingRequest;
        }

        if (!message.VerifyFingerprint())
        {
            return IceBindingOutcome.BadFingerprint;
        }

        if (!message.HasUsername || !message.HasMessageIntegrity || !message.TryGetPriority(out uint priority))
        {
            return Reject(message, StunErrorCode.BadRequest, null, response, out responseLength, IceBindingOutcome.BadRequest);
        }

        if (!credentials.MatchesUsername(message.Username, out ReadOnlySpan<byte> remoteUfrag)
            || !message.VerifyMessageIntegrity(credentials.Key))
        {
            return Reject(message, StunErrorCode.Unauthorized, null, response, out responseLength, IceBindingOutcome.Unauthorized);
        }

        if (message.TryGetIceControlled(out _))
        {
            return Reject(message, StunErrorCode.RoleConflict, credentials.Key, response, out responseLength, IceBindingOutcome.RoleConflict);
        }

        message.TryGetIceControlling(out ulong tieBreaker);
        var writer = new StunMessageWriter(response, StunMessageType.BindingSuccessResponse, message.TransactionId);
        writer.AddXorMappedAddress(remoteAddress, remotePort);
        writer.AddMessageIntegrity(credentials.Key);
        writer.AddFingerprint();
        if (!writer.TryComplete(out responseLength))
        {
            return IceBindingOutcome.ResponseFailed;
        }

        request = new IceBindingRequest(remoteUfrag, priority, message.UseCandidate, tieBreaker);
        return IceBindingOutcome.Success;
    }

    /// <summary>An error response; signed only when the request authenticated (RFC 8489 §9.1.3).</summary>
    private static IceBindingOutcome Reject(
        StunMessage request, int code, StunIntegrityKey? key, Span<byte> response, out int responseLength, IceBindingOutcome outcome)
    {
        var writer = new StunMessageWriter(response, StunMessageType.BindingErrorResponse, request.TransactionId);
        writer.AddErrorCode(code, StunErrorCode.DefaultReason(code));
        if (key is not null)
        {
            writer.AddMessageIntegrity(key);
        }

        writer.AddFingerprint();
        return writer.TryComplete(out responseLength) ? outcome : IceBindingOutcome.ResponseFailed;
    }
}
