using System.Net;
using System.Text;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Tests.Stun;

public sealed class IceLiteBindingResponderTests
{
    private const string LocalUfrag = "sfuA";
    private const string LocalPassword = "0123456789abcdefghijkl";
    private const string RemoteUfrag = "brwsr";
    private static readonly byte[] TransactionId = [9, 9, 9, 9, 1, 2, 3, 4, 5, 6, 7, 8];
    private static readonly IPAddress Remote = IPAddress.Parse("203.0.113.7");

    [Fact]
    public void Authenticated_check_gets_a_signed_success_response_with_the_remote_address()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword, useCandidate: true);
        byte[] response = new byte[512];

        IceBindingOutcome outcome = IceLiteBindingResponder.Process(
            request, credentials, Remote, 50000, response, out int length, out IceBindingRequest info);

        Assert.Equal(IceBindingOutcome.Success, outcome);
        Assert.True(info.UseCandidate);
        Assert.Equal(0x7E7F00FFu, info.Priority);
        Assert.Equal(0x1122334455667788UL, info.TieBreaker);
        Assert.Equal(RemoteUfrag, Encoding.UTF8.GetString(info.RemoteUfrag));

        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out StunMessage parsed, out _));
        Assert.Equal(StunMessageType.BindingSuccessResponse, parsed.MessageType);
        Assert.Equal(TransactionId, parsed.TransactionId.ToArray());
        Assert.True(parsed.VerifyFingerprint());
        Assert.True(parsed.VerifyMessageIntegrity(credentials.Key));
        Span<byte> address = stackalloc byte[16];
        Assert.True(parsed.TryGetXorMappedAddress(address, out int addressLength, out ushort port));
        Assert.Equal(Remote, new IPAddress(address[..addressLength]));
        Assert.Equal(50000, port);
    }

    [Fact]
    public void Ipv4_mapped_ipv6_remote_is_answered_as_ipv4()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword);
        byte[] response = new byte[512];
        IceBindingOutcome outcome = IceLiteBindingResponder.Process(
            request, credentials, Remote.MapToIPv6(), 1, response, out int length, out _);

        Assert.Equal(IceBindingOutcome.Success, outcome);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out StunMessage parsed, out _));
        Span<byte> address = stackalloc byte[16];
        Assert.True(parsed.TryGetXorMappedAddress(address, out int addressLength, out _));
        Assert.Equal(4, addressLength);
    }

    [Fact]
    public void Wrong_password_gets_an_unsigned_401()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", "not-the-password-at-all");
        AssertError(credentials, request, IceBindingOutcome.Unauthorized, 401, signed: false);
    }

    [Fact]
    public void Username_for_another_transport_gets_a_401()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        AssertError(credentials, BuildRequest($"other:{RemoteUfrag}", LocalPassword), IceBindingOutcome.Unauthorized, 401, signed: false);
        AssertError(credentials, BuildRequest($"{LocalUfrag}:", LocalPassword), IceBindingOutcome.Unauthorized, 401, signed: false);
        AssertError(credentials, BuildRequest($"{LocalUfrag}X:{RemoteUfrag}", LocalPassword), IceBindingOutcome.Unauthorized, 401, signed: false);
    }

    [Fact]
    public void Missing_priority_gets_a_400()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword, withPriority: false);
        AssertError(credentials, request, IceBindingOutcome.BadRequest, 400, signed: false);
    }

    [Fact]
    public void Peer_claiming_the_controlled_role_gets_a_signed_487()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword, controlled: true);
        AssertError(credentials, request, IceBindingOutcome.RoleConflict, 487, signed: true);
    }

    [Fact]
    public void Missing_or_bad_fingerprint_is_dropped_without_answer()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] noFingerprint = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword, withFingerprint: false);
        Assert.Equal(IceBindingOutcome.BadFingerprint, Process(credentials, noFingerprint, out int length));
        Assert.Equal(0, length);

        byte[] corrupted = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword);
        corrupted[^1] ^= 0x01;
        Assert.Equal(IceBindingOutcome.BadFingerprint, Process(credentials, corrupted, out length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Non_requests_and_garbage_are_not_answered()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        Assert.Equal(IceBindingOutcome.NotBindingRequest, Process(credentials, Rfc5769Vectors.IPv4Response, out int length));
        Assert.Equal(0, length);
        Assert.Equal(IceBindingOutcome.Malformed, Process(credentials, [0, 1, 0, 0], out length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Response_that_does_not_fit_is_reported_not_truncated()
    {
        using var credentials = new IceLiteCredentials(LocalUfrag, LocalPassword);
        byte[] request = BuildRequest($"{LocalUfrag}:{RemoteUfrag}", LocalPassword);
        IceBindingOutcome outcome = IceLiteBindingResponder.Process(request, credentials, Remote, 1, new byte[40], out int length, out _);
        Assert.Equal(IceBindingOutcome.ResponseFailed, outcome);
        Assert.Equal(0, length);
    }

    private static IceBindingOutcome Process(IceLiteCredentials credentials, byte[] request, out int length) =>
        IceLiteBindingResponder.Process(request, credentials, Remote, 4000, new byte[512], out length, out _);

    private static void AssertError(IceLiteCredentials credentials, byte[] request, IceBindingOutcome expectedOutcome, int expectedCode, bool signed)
    {
        byte[] response = new byte[512];
        IceBindingOutcome outcome = IceLiteBindingResponder.Process(request, credentials, Remote, 4000, response, out int length, out _);
        Assert.Equal(expectedOutcome, outcome);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out StunMessage parsed, out _));
        Assert.Equal(StunMessageType.BindingErrorResponse, parsed.MessageType);
        Assert.True(parsed.TryGetErrorCode(out int code, out _));
        Assert.Equal(expectedCode, code);
        Assert.True(parsed.VerifyFingerprint());
        Assert.Equal(signed, parsed.HasMessageIntegrity);
        if (signed)
        {
            Assert.True(parsed.VerifyMessageIntegrity(credentials.Key));
        }
    }

    private static byte[] BuildRequest(
        string username, string password, bool useCandidate = false, bool controlled = false,
        bool withPriority = true, bool withFingerprint = true)
    {
        using var key = StunIntegrityKey.FromPassword(password);
        byte[] buffer = new byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, TransactionId);
        writer.AddUsername(Encoding.UTF8.GetBytes(username));
        if (withPriority)
        {
            writer.AddPriority(0x7E7F00FF);
        }

        if (controlled)
        {
            writer.AddIceControlled(42);
        }
        else
        {
            writer.AddIceControlling(0x1122334455667788);
        }

        if (useCandidate)
        {
            writer.AddUseCandidate();
        }

        writer.AddMessageIntegrity(key);
        if (withFingerprint)
        {
            writer.AddFingerprint();
        }

        Assert.True(writer.TryComplete(out int length));
        return buffer[..length];
    }
}
