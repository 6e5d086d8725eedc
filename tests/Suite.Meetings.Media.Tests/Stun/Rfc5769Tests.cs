using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Tests.Stun;

public sealed class Rfc5769Tests
{
    [Fact]
    public void Sample_request_parses_and_authenticates()
    {
        Assert.True(StunMessage.TryParse(Rfc5769Vectors.Request, out StunMessage message, out StunParseError error), error.ToString());
        using var key = StunIntegrityKey.FromPassword(Rfc5769Vectors.Password);

        Assert.Equal(StunMessageType.BindingRequest, message.MessageType);
        Assert.Equal(StunClass.Request, message.Class);
        Assert.Equal(StunConstants.BindingMethod, message.Method);
        Assert.Equal(Rfc5769Vectors.TransactionId, message.TransactionId.ToArray());
        Assert.Equal(Rfc5769Vectors.Username, Encoding.UTF8.GetString(message.Username));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(Rfc5769Vectors.Priority, priority);
        Assert.True(message.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(Rfc5769Vectors.IceControlledTieBreaker, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.UseCandidate);
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(key));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sample_responses_authenticate_and_carry_the_mapped_address(bool ipv6)
    {
        byte[] vector = ipv6 ? Rfc5769Vectors.IPv6Response : Rfc5769Vectors.IPv4Response;
        Assert.True(StunMessage.TryParse(vector, out StunMessage message, out StunParseError error), error.ToString());
        using var key = StunIntegrityKey.FromPassword(Rfc5769Vectors.Password);

        Assert.Equal(StunClass.SuccessResponse, message.Class);
        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(key));

        Span<byte> address = stackalloc byte[16];
        Assert.True(message.TryGetXorMappedAddress(address, out int length, out ushort port));
        var expected = IPAddress.Parse(ipv6 ? Rfc5769Vectors.MappedIPv6 : Rfc5769Vectors.MappedIPv4);
        Assert.Equal(expected, new IPAddress(address[..length]));
        Assert.Equal(Rfc5769Vectors.MappedPort, port);
    }

    [Fact]
    public void Wrong_password_fails_integrity_of_every_vector()
    {
        using var key = StunIntegrityKey.FromPassword("VOkJxbRl1RmTxUk/WvJxBT");
        foreach (byte[] vector in new[] { Rfc5769Vectors.Request, Rfc5769Vectors.IPv4Response, Rfc5769Vectors.IPv6Response })
        {
            Assert.True(StunMessage.TryParse(vector, out StunMessage message, out _));
            Assert.False(message.VerifyMessageIntegrity(key));
        }
    }

    [Fact]
    public void Integrity_matches_an_independent_one_shot_HMAC_over_the_adjusted_message()
    {
        // Independent path: BCL one-shot HMAC over a copy whose header length is patched by hand (RFC 8489 §14.5).
        byte[] vector = Rfc5769Vectors.Request;
        int integrityAttribute = vector.Length - 8 - 24;
        byte[] input = vector[..integrityAttribute];
        BinaryPrimitives.WriteUInt16BigEndian(input.AsSpan(2), (ushort)(integrityAttribute + 24 - 20));
        byte[] mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(Rfc5769Vectors.Password), input);

        Assert.Equal(vector.AsSpan(integrityAttribute + 4, 20).ToArray(), mac);
    }

    [Fact]
    public void Fingerprint_matches_an_independent_crc_of_the_message()
    {
        byte[] vector = Rfc5769Vectors.IPv4Response;
        uint crc = BitwiseCrc(vector.AsSpan(0, vector.Length - 8)) ^ 0x5354554E;
        Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(vector.AsSpan(vector.Length - 4)), crc);
    }

    [Fact]
    public void Writer_rebuilds_the_sample_request_byte_for_byte()
    {
        using var key = StunIntegrityKey.FromPassword(Rfc5769Vectors.Password);
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId, paddingByte: 0x20);
        writer.AddSoftware(Encoding.UTF8.GetBytes(Rfc5769Vectors.ClientSoftware));
        writer.AddPriority(Rfc5769Vectors.Priority);
        writer.AddIceControlled(Rfc5769Vectors.IceControlledTieBreaker);
        writer.AddUsername(Encoding.UTF8.GetBytes(Rfc5769Vectors.Username));
        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();

        Assert.True(writer.TryComplete(out int length));
        Assert.Equal(Hex(Rfc5769Vectors.Request), Hex(buffer.AsSpan(0, length)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Writer_rebuilds_the_sample_responses_byte_for_byte(bool ipv6)
    {
        using var key = StunIntegrityKey.FromPassword(Rfc5769Vectors.Password);
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId, paddingByte: 0x20);
        writer.AddSoftware(Encoding.UTF8.GetBytes(Rfc5769Vectors.ServerSoftware));
        writer.AddXorMappedAddress(IPAddress.Parse(ipv6 ? Rfc5769Vectors.MappedIPv6 : Rfc5769Vectors.MappedIPv4), Rfc5769Vectors.MappedPort);
        writer.AddMessageIntegrity(key);
        writer.AddFingerprint();

        Assert.True(writer.TryComplete(out int length));
        byte[] expected = ipv6 ? Rfc5769Vectors.IPv6Response : Rfc5769Vectors.IPv4Response;
        Assert.Equal(Hex(expected), Hex(buffer.AsSpan(0, length)));
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    private static uint BitwiseCrc(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
