namespace Suite.Meetings.Media.Rtcp;

/// <summary>RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1).</summary>
internal static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte ApplicationDefined = 204;
    public const byte TransportFeedback = 205;
    public const byte PayloadFeedback = 206;
    public const byte ExtendedReport = 207;
}

/// <summary>Feedback message types (FMT) of RTPFB and PSFB packets.</summary>
internal static class RtcpFeedbackFormat
{
    /// <summary>RTPFB: generic NACK (RFC 4585 §6.2.1).</summary>
    public const byte GenericNack = 1;

    /// <summary>RTPFB: transport-wide congestion control (draft-holmer-rmcat-transport-wide-cc-extensions-01).</summary>
    public const byte TransportCc = 15;

    /// <summary>PSFB: picture loss indication (RFC 4585 §6.3.1).</summary>
    public const byte PictureLossIndication = 1;

    /// <summary>PSFB: full intra request (RFC 5104 §4.3.1).</summary>
    public const byte FullIntraRequest = 4;

    /// <summary>PSFB: application layer feedback, carrying REMB (draft-alvestrand-rmcat-remb-03).</summary>
    public const byte ApplicationLayer = 15;
}

/// <summary>Why an RTCP compound packet or one of its packets was not accepted.</summary>
internal enum RtcpParseError : byte
{
    None = 0,

    /// <summary>Shorter than a header, or the length field points past the datagram.</summary>
    Truncated,

    /// <summary>Version field is not 2.</summary>
    BadVersion,

    /// <summary>Padding count is 0 or longer than the packet body.</summary>
    BadPadding,

    /// <summary>The packet is of another type or format than the parser asked for.</summary>
    WrongType,

    /// <summary>The body is too short for what its header counts announce, or a field has an impossible value.</summary>
    Malformed,

    /// <summary>The caller's buffer cannot hold every element the packet describes.</summary>
    DestinationTooSmall,
}

/// <summary>Argument checks shared by the RTCP views.</summary>
internal static class RtcpGuard
{
    /// <summary>Accessors take indexes below the count the packet announced; anything else is a caller bug.</summary>
    public static int Index(int index, int count) =>
        (uint)index < (uint)count ? index : throw new ArgumentOutOfRangeException(nameof(index));
}
