using System.Buffers.Binary;
using System.Text;
using Suite.Meetings.Media.Stun;

namespace Suite.Meetings.Media.Tests.Stun;

public sealed class StunMessageTests
{
    private static readonly byte[] TransactionId = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

    [Theory]
    [InlineData(0x001, (int)StunClass.Request, 0x0001)]
    [InlineData(0x001, (int)StunClass.Indication, 0x0011)]
    [InlineData(0x001, (int)StunClass.SuccessResponse, 0x0101)]
    [InlineData(0x001, (int)StunClass.ErrorResponse, 0x0111)]
    [InlineData(0x003, (int)StunClass.Request, 0x0003)] // TURN Allocate
    [InlineData(0xFFF, (int)StunClass.ErrorResponse, 0x3FFF)]
    public void Message_type_interleaves_method_and_class(int method, int classValue, int expected)
    {
        var messageClass = (StunClass)classValue;
        ushort type = StunMessageType.Compose((ushort)method, messageClass);
        Assert.Equal(expected, type);
        Assert.Equal(messageClass, StunMessageType.GetClass(type));
        Assert.Equal(method, StunMessageType.GetMethod(type));
    }

    [Fact]
    public void Every_truncation_of_a_valid_message_is_rejected_without_throwing()
    {
        byte[] vector = Rfc5769Vectors.Request;
        for (int length = 0; length < vector.Length; length++)
        {
            Assert.False(StunMessage.TryParse(vector.AsSpan(0, length), out _, out StunParseError error));
            Assert.NotEqual(StunParseError.None, error);
        }
    }

    [Fact]
    public void Header_errors_are_reported_by_reason()
    {
        Assert.Equal(StunParseError.Truncated, ParseError(new byte[19]));

        byte[] notStun = (byte[])Rfc5769Vectors.Request.Clone();
        notStun[0] = 0x40;
        Assert.Equal(StunParseError.NotStun, ParseError(notStun));

        byte[] badCookie = (byte[])Rfc5769Vectors.Request.Clone();
        badCookie[4] ^= 1;
        Assert.Equal(StunParseError.BadMagicCookie, ParseError(badCookie));

        byte[] oddLength = (byte[])Rfc5769Vectors.Request.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(oddLength.AsSpan(2), 0x0057);
        Assert.Equal(StunParseError.LengthMismatch, ParseError(oddLength));

        byte[] trailing = [.. Rfc5769Vectors.Request, 0, 0, 0, 0];
        Assert.Equal(StunParseError.LengthMismatch, ParseError(trailing));
    }

    [Fact]
    public void Attribute_running_past_the_message_is_rejected()
    {
        byte[] message = Build(w => w.AddPriority(7));
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(22), 8); // PRIORITY claims 8 bytes in a 4-byte slot
        Assert.Equal(StunParseError.AttributeOverrun, ParseError(message));
    }

    [Fact]
    public void Known_attributes_with_impossible_lengths_are_rejected()
    {
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.Priority, new byte[8]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.UseCandidate, new byte[4]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.IceControlling, new byte[4]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.XorMappedAddress, new byte[12]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.MessageIntegrity, new byte[16]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.Fingerprint, new byte[8]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.ErrorCode, new byte[2]))));
        Assert.Equal(StunParseError.BadAttributeLength, ParseError(Build(w => w.AddAttribute(StunAttributeType.Username, new byte[514]))));
    }

    [Fact]
    public void An_attribute_after_fingerprint_is_rejected()
    {
        byte[] message = Build(w => w.AddFingerprint());
        byte[] extended = [.. message, 0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1];
        BinaryPrimitives.WriteUInt16BigEndian(extended.AsSpan(2), (ushort)(extended.Length - 20));
        Assert.Equal(StunParseError.AttributeAfterFingerprint, ParseError(extended));
    }

    [Fact]
    public void Attributes_after_message_integrity_other_than_fingerprint_are_ignored()
    {
        using var key = new StunIntegrityKey("secret"u8);
        byte[] message = Build(w => w.AddMessageIntegrity(key));
        byte[] extended = [.. message, 0x00, 0x25, 0x00, 0x00]; // USE-CANDIDATE after MESSAGE-INTEGRITY
        BinaryPrimitives.WriteUInt16BigEndian(extended.AsSpan(2), (ushort)(extended.Length - 20));

        Assert.True(StunMessage.TryParse(extended, out StunMessage parsed, out _));
        Assert.False(parsed.UseCandidate);
        Assert.True(parsed.VerifyMessageIntegrity(key));
    }

    [Fact]
    public void Only_the_first_occurrence_of_an_attribute_counts()
    {
        byte[] message = Build(w =>
        {
            w.AddPriority(1);
            w.AddPriority(2);
        });
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed, out _));
        Assert.True(parsed.TryGetPriority(out uint priority));
        Assert.Equal(1u, priority);
    }

    [Fact]
    public void Unknown_attributes_are_kept_for_the_enumerator()
    {
        byte[] message = Build(w =>
        {
            w.AddAttribute(0x7777, [9, 8, 7]);
            w.AddUseCandidate();
        });
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed, out _));
        var types = new List<ushort>();
        int unknownLength = -1;
        foreach (StunAttribute attribute in parsed.Attributes)
        {
            types.Add(attribute.Type);
            if (attribute.Type == 0x7777)
            {
                unknownLength = attribute.Value.Length;
            }
        }

        Assert.Equal([0x7777, StunAttributeType.UseCandidate], types);
        Assert.Equal(3, unknownLength);
        Assert.True(parsed.UseCandidate);
    }

    [Fact]
    public void Any_single_bit_flip_of_a_signed_message_fails_fingerprint_or_integrity_or_parsing()
    {
        using var key = StunIntegrityKey.FromPassword(Rfc5769Vectors.Password);
        byte[] vector = Rfc5769Vectors.Request;
        for (int bit = 0; bit < vector.Length * 8; bit++)
        {
            byte[] copy = (byte[])vector.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            bool accepted = StunMessage.TryParse(copy, out StunMessage message, out _)
                && message.VerifyFingerprint()
                && message.VerifyMessageIntegrity(key);
            Assert.False(accepted, $"bit {bit} flipped and still accepted");
        }
    }

    [Fact]
    public void Error_code_round_trips_through_writer_and_parser()
    {
        byte[] message = Build(w => w.AddErrorCode(487, "Role Conflict"u8), StunMessageType.BindingErrorResponse);
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed, out _));
        Assert.Equal(StunClass.ErrorResponse, parsed.Class);
        Assert.True(parsed.TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason));
        Assert.Equal(487, code);
        Assert.Equal("Role Conflict", Encoding.UTF8.GetString(reason));
    }

    [Fact]
    public void Error_code_with_an_invalid_class_is_not_decoded()
    {
        byte[] message = Build(w => w.AddAttribute(StunAttributeType.ErrorCode, [0, 0, 7, 1]));
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed, out _));
        Assert.False(parsed.TryGetErrorCode(out _, out _));
    }

    [Fact]
    public void Xor_mapped_address_with_unknown_family_is_not_decoded()
    {
        byte[] message = Build(w => w.AddAttribute(StunAttributeType.XorMappedAddress, [0, 3, 0, 0, 0, 0, 0, 0]));
        Assert.True(StunMessage.TryParse(message, out StunMessage parsed, out _));
        Assert.False(parsed.TryGetXorMappedAddress(new byte[16], out _, out _));
    }

    [Fact]
    public void Writer_fails_when_the_buffer_is_too_small_or_the_order_is_wrong()
    {
        using var key = new StunIntegrityKey("k"u8);
        var tiny = new StunMessageWriter(new byte[19], StunMessageType.BindingRequest, TransactionId);
        Assert.True(tiny.Failed);

        var full = new StunMessageWriter(new byte[24], StunMessageType.BindingRequest, TransactionId);
        Assert.False(full.AddPriority(1)); // needs 8 bytes, 4 left
        Assert.False(full.TryComplete(out _));

        var afterFingerprint = new StunMessageWriter(new byte[128], StunMessageType.BindingRequest, TransactionId);
        Assert.True(afterFingerprint.AddFingerprint());
        Assert.False(afterFingerprint.AddPriority(1));

        var afterIntegrity = new StunMessageWriter(new byte[128], StunMessageType.BindingRequest, TransactionId);
        Assert.True(afterIntegrity.AddMessageIntegrity(key));
        Assert.False(afterIntegrity.AddUseCandidate());

        var badCode = new StunMessageWriter(new byte[128], StunMessageType.BindingErrorResponse, TransactionId);
        Assert.False(badCode.AddErrorCode(200, "OK"u8));

        var badTransaction = new StunMessageWriter(new byte[128], StunMessageType.BindingRequest, new byte[11]);
        Assert.True(badTransaction.Failed);
    }

    private static StunParseError ParseError(byte[] datagram)
    {
        StunMessage.TryParse(datagram, out _, out StunParseError error);
        return error;
    }

    private static byte[] Build(Action<StunWriterBox> write, ushort type = StunMessageType.BindingRequest)
    {
        var box = new StunWriterBox(type, TransactionId);
        write(box);
        return box.Complete();
    }

    /// <summary>Lets tests pass writer steps as lambdas (a ref struct cannot be captured).</summary>
    private sealed class StunWriterBox(ushort type, byte[] transactionId)
    {
        private readonly List<(ushort Type, byte[] Value)> _attributes = [];
        private StunIntegrityKey? _integrity;
        private bool _fingerprint;

        public void AddAttribute(ushort attributeType, byte[] value) => _attributes.Add((attributeType, value));

        public void AddPriority(uint priority)
        {
            byte[] value = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(value, priority);
            AddAttribute(StunAttributeType.Priority, value);
        }

        public void AddUseCandidate() => AddAttribute(StunAttributeType.UseCandidate, []);

        public void AddErrorCode(int code, ReadOnlySpan<byte> reason)
        {
            byte[] value = new byte[4 + reason.Length];
            StunErrorCode.Encode(code, reason, value);
            AddAttribute(StunAttributeType.ErrorCode, value);
        }

        public void AddMessageIntegrity(StunIntegrityKey key) => _integrity = key;

        public void AddFingerprint() => _fingerprint = true;

        public byte[] Complete()
        {
            byte[] buffer = new byte[2048];
            var writer = new StunMessageWriter(buffer, type, transactionId);
            foreach ((ushort attributeType, byte[] value) in _attributes)
            {
                Assert.True(writer.AddAttribute(attributeType, value));
            }

            if (_integrity is not null)
            {
                Assert.True(writer.AddMessageIntegrity(_integrity));
            }

            if (_fingerprint)
            {
                Assert.True(writer.AddFingerprint());
            }

            Assert.True(writer.TryComplete(out int length));
            return buffer[..length];
        }
    }
}
