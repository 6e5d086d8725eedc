namespace Suite.Meetings.Media.Stun;

/// <summary>
/// Packs and unpacks the 14-bit STUN message type: a 12-bit method interleaved with the two class bits
/// C0 (bit 4) and C1 (bit 8), RFC 8489 §5 figure 3.
/// </summary>
internal static class StunMessageType
{
    public const ushort BindingRequest = 0x0001;
    public const ushort BindingIndication = 0x0011;
    public const ushort BindingSuccessResponse = 0x0101;
    public const ushort BindingErrorResponse = 0x0111;

    public static ushort Compose(ushort method, StunClass messageClass)
    {
        int c = (int)messageClass;
        int type = (method & 0x000F)
            | ((method & 0x0070) << 1)
            | ((method & 0x0F80) << 2)
            | ((c & 0b01) << 4)
            | ((c & 0b10) << 7);
        return (ushort)type;
    }

    public static StunClass GetClass(ushort messageType) =>
        (StunClass)(((messageType >> 4) & 0b01) | ((messageType >> 7) & 0b10));

    public static ushort GetMethod(ushort messageType) =>
        (ushort)((messageType & 0x000F) | ((messageType >> 1) & 0x0070) | ((messageType >> 2) & 0x0F80));
}
