using System.Net;
using Suite.Meetings.Media.Dtls;

namespace Suite.Meetings.Media.Sdp;

/// <summary>A problem found on one line; the line was skipped (or partly used) and parsing went on.</summary>
internal sealed record SdpParseError(int LineNumber, string Message)
{
    public override string ToString() => LineNumber > 0 ? $"line {LineNumber}: {Message}" : Message;
}

/// <summary>a=group (RFC 5888), e.g. BUNDLE 0 1 2 (RFC 8843).</summary>
internal sealed record SdpGroup(string Semantics, IReadOnlyList<string> Mids);

/// <summary>One payload type of an m-section: rtpmap, fmtp and rtcp-fb gathered together.</summary>
internal sealed class SdpCodec
{
    public SdpCodec(int payloadType, string name, int clockRate, int channels)
    {
        PayloadType = payloadType;
        Name = name;
        ClockRate = clockRate;
        Channels = channels;
    }

    public int PayloadType { get; }

    /// <summary>Encoding name as written (compare with <see cref="IsNamed"/>: names are case-insensitive).</summary>
    public string Name { get; }

    public int ClockRate { get; }

    /// <summary>Audio channels (1 when not written).</summary>
    public int Channels { get; }

    /// <summary>The raw a=fmtp value, or empty.</summary>
    public string Fmtp { get; set; } = "";

    /// <summary>a=fmtp split into key=value pairs (keys case-insensitive); a value-less token maps to "".</summary>
    public Dictionary<string, string> Parameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>a=rtcp-fb values, e.g. "nack", "nack pli", "ccm fir", "transport-cc", "goog-remb".</summary>
    public List<string> Feedback { get; } = [];

    public bool IsNamed(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public bool IsRtx => IsNamed("rtx");

    /// <summary>For RTX: the payload type it repairs (fmtp apt=).</summary>
    public int? AssociatedPayloadType =>
        Parameters.TryGetValue("apt", out string? apt) && int.TryParse(apt, out int value) && value is >= 0 and <= 127 ? value : null;

    public string? Parameter(string key) => Parameters.TryGetValue(key, out string? value) ? value : null;

    public override string ToString() => $"{PayloadType} {Name}/{ClockRate}{(Channels > 1 ? "/" + Channels : "")}";
}

/// <summary>a=extmap (RFC 8285).</summary>
internal sealed record SdpHeaderExtension(int Id, string Uri, SdpDirection? Direction = null);

/// <summary>All a=ssrc attributes of one SSRC (RFC 5576).</summary>
internal sealed class SdpSsrc(uint ssrc)
{
    public uint Ssrc { get; } = ssrc;

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    public string? Cname => Attributes.TryGetValue("cname", out string? value) ? value : null;
}

/// <summary>a=ssrc-group, e.g. FID (primary + RTX) or SIM.</summary>
internal sealed record SdpSsrcGroup(string Semantics, IReadOnlyList<uint> Ssrcs);

/// <summary>a=rid (RFC 8851): one RTP stream identifier and its direction.</summary>
internal sealed record SdpRid(string Id, SdpDirection Direction, string Restrictions);

/// <summary>One entry of a simulcast stream list: a rid, possibly marked paused with ~.</summary>
internal sealed record SdpSimulcastStream(string Rid, bool Paused);

/// <summary>
/// a=simulcast (RFC 8853): per direction, an ordered list of streams, each a list of alternatives.
/// Browsers only ever send one alternative per stream.
/// </summary>
internal sealed class SdpSimulcast
{
    public List<IReadOnlyList<SdpSimulcastStream>> Send { get; } = [];

    public List<IReadOnlyList<SdpSimulcastStream>> Receive { get; } = [];
}

/// <summary>a=candidate (RFC 8839 §5.1), the fields an ICE-lite agent looks at.</summary>
internal sealed record SdpCandidate(
    string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    public bool IsUdp => string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase);

    public IPAddress? IpAddress => IPAddress.TryParse(Address, out IPAddress? address) ? address : null;
}

/// <summary>ICE and DTLS parameters, which may sit at session level and be overridden per m-section.</summary>
internal sealed class SdpTransportAttributes
{
    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public bool IceLite { get; set; }

    public List<string> IceOptions { get; } = [];

    public DtlsFingerprint? Fingerprint { get; set; }

    public SdpSetupRole Setup { get; set; }
}
