using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Suite.Bench.Sfu.LoadGen;

/// <summary>One m-section of a remote SDP, reduced to what the load generator needs.</summary>
internal sealed record SdpMediaSection(string Kind, int Port, string Mid, string Direction, IReadOnlyList<string> Lines)
{
    /// <summary>Payload type of the first rtpmap whose encoding name is <paramref name="codec"/> (e.g. "opus", "VP8").</summary>
    public int? PayloadTypeOf(string codec)
    {
        foreach (string line in Lines)
        {
            Match m = Regex.Match(line, @"^a=rtpmap:(\d+) ([^/]+)/");
            if (m.Success && string.Equals(m.Groups[2].Value, codec, StringComparison.OrdinalIgnoreCase))
            {
                return int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}

/// <summary>The ICE, DTLS and media facts of a remote SDP (ours or Janus's), parsed with a few regular expressions.</summary>
internal sealed class RemoteDescription
{
    private RemoteDescription(string ufrag, string pwd, string fingerprint, IPEndPoint candidate, IReadOnlyList<SdpMediaSection> media)
    {
        Ufrag = ufrag;
        Pwd = pwd;
        Fingerprint = fingerprint;
        Candidate = candidate;
        Media = media;
    }

    public string Ufrag { get; }

    public string Pwd { get; }

    /// <summary>"sha-256 AB:CD:…", the a=fingerprint value.</summary>
    public string Fingerprint { get; }

    /// <summary>The first UDP IPv4 host candidate (both SFUs are bound to 127.0.0.1 here).</summary>
    public IPEndPoint Candidate { get; }

    public IReadOnlyList<SdpMediaSection> Media { get; }

    public static RemoteDescription Parse(string sdp)
    {
        string[] lines = sdp.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? ufrag = null, pwd = null, fingerprint = null;
        IPEndPoint? candidate = null;
        var media = new List<SdpMediaSection>();
        List<string>? current = null;
        void Close()
        {
            if (current is null)
            {
                return;
            }

            string[] m = current[0][2..].Split(' ');
            string mid = current.FirstOrDefault(l => l.StartsWith("a=mid:", StringComparison.Ordinal))?[6..] ?? media.Count.ToString(CultureInfo.InvariantCulture);
            string direction = current.Select(l => l[2..]).FirstOrDefault(a => a is "sendrecv" or "sendonly" or "recvonly" or "inactive") ?? "sendrecv";
            media.Add(new SdpMediaSection(m[0], int.Parse(m[1], CultureInfo.InvariantCulture), mid, direction, current));
        }

        foreach (string line in lines)
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                Close();
                current = [line];
                continue;
            }

            current?.Add(line);
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                ufrag ??= line[12..].Trim();
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                pwd ??= line[10..].Trim();
            }
            else if (line.StartsWith("a=fingerprint:", StringComparison.Ordinal))
            {
                fingerprint ??= line[14..].Trim();
            }
            else if (candidate is null && line.StartsWith("a=candidate:", StringComparison.Ordinal))
            {
                // a=candidate:foundation component transport priority address port typ host
                string[] f = line[12..].Split(' ');
                if (f.Length >= 8 && f[1] == "1" && f[2].Equals("udp", StringComparison.OrdinalIgnoreCase) && IPAddress.TryParse(f[4], out IPAddress? address)
                    && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                {
                    candidate = new IPEndPoint(address, int.Parse(f[5], CultureInfo.InvariantCulture));
                }
            }
        }

        Close();
        return new RemoteDescription(
            ufrag ?? throw new FormatException("no a=ice-ufrag"),
            pwd ?? throw new FormatException("no a=ice-pwd"),
            fingerprint ?? throw new FormatException("no a=fingerprint"),
            candidate ?? throw new FormatException("no IPv4 UDP host candidate"),
            media);
    }
}

/// <summary>The local ICE/DTLS identity every SDP we write carries.</summary>
internal sealed record LocalTransport(string Ufrag, string Pwd, string Fingerprint, IPEndPoint Address);

/// <summary>Writes the load generator's SDPs: a browser-like simulcast publisher offer, and recvonly subscriber answers.</summary>
internal static class SdpText
{
    public const int AudioPayloadType = 111;
    public const int VideoPayloadType = 96;

    /// <summary>One id per extension URI across the BUNDLE, as browsers do.</summary>
    public const int MidExtension = 1;
    public const int RidExtension = 2;
    public const int TransportCcExtension = 3;
    public const int AbsSendTimeExtension = 4;
    public const int AudioLevelExtension = 5;

    /// <summary>
    /// A sendonly audio + 3-layer rid simulcast video offer with a=setup:active (we are always the DTLS client: ours
    /// is always the server, Janus takes the server role when the offerer is active).
    /// </summary>
    public static string PublisherOffer(LocalTransport local, uint audioSsrc, IReadOnlyList<string> ridOrder)
    {
        var sdp = new StringBuilder();
        Session(sdp, "0 1");
        Section(sdp, local, "audio", "0", AudioPayloadType.ToString(CultureInfo.InvariantCulture), "sendonly");
        Line(sdp, $"a=rtpmap:{AudioPayloadType} opus/48000/2");
        Line(sdp, $"a=fmtp:{AudioPayloadType} minptime=10;useinbandfec=1");
        Line(sdp, $"a=extmap:{MidExtension} urn:ietf:params:rtp-hdrext:sdes:mid");
        Line(sdp, $"a=extmap:{AudioLevelExtension} urn:ietf:params:rtp-hdrext:ssrc-audio-level");
        Line(sdp, "a=msid:bench audio");
        Line(sdp, $"a=ssrc:{audioSsrc} cname:bench");
        Line(sdp, $"a=ssrc:{audioSsrc} msid:bench audio");
        Section(sdp, local, "video", "1", VideoPayloadType.ToString(CultureInfo.InvariantCulture), "sendonly");
        Line(sdp, $"a=rtpmap:{VideoPayloadType} VP8/90000");
        foreach (string fb in new[] { "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc" })
        {
            Line(sdp, $"a=rtcp-fb:{VideoPayloadType} {fb}");
        }

        Line(sdp, $"a=extmap:{MidExtension} urn:ietf:params:rtp-hdrext:sdes:mid");
        Line(sdp, $"a=extmap:{RidExtension} urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id");
        Line(sdp, $"a=extmap:{TransportCcExtension} http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01");
        Line(sdp, $"a=extmap:{AbsSendTimeExtension} http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time");
        Line(sdp, "a=msid:bench video");
        foreach (string rid in ridOrder)
        {
            Line(sdp, $"a=rid:{rid} send");
        }

        Line(sdp, $"a=simulcast:send {string.Join(';', ridOrder)}");
        return sdp.ToString();
    }

    /// <summary>A recvonly answer to an SFU's subscriber offer: opus and VP8 accepted, everything else rejected.</summary>
    public static string SubscriberAnswer(LocalTransport local, RemoteDescription offer)
    {
        var accepted = new List<(SdpMediaSection Section, int PayloadType)>();
        foreach (SdpMediaSection m in offer.Media)
        {
            int? pt = m.Port == 0 || m.Direction == "inactive" ? null : m.Kind switch
            {
                "audio" => m.PayloadTypeOf("opus"),
                "video" => m.PayloadTypeOf("VP8"),
                _ => null,
            };
            accepted.Add((m, pt ?? -1));
        }

        var sdp = new StringBuilder();
        Session(sdp, string.Join(' ', accepted.Where(a => a.PayloadType >= 0).Select(a => a.Section.Mid)));
        foreach ((SdpMediaSection m, int pt) in accepted)
        {
            if (pt < 0)
            {
                string proto = m.Lines[0].Split(' ')[2];
                Line(sdp, $"m={m.Kind} 0 {proto} {m.Lines[0].Split(' ')[3]}");
                Line(sdp, "c=IN IP4 0.0.0.0");
                Line(sdp, $"a=mid:{m.Mid}");
                Line(sdp, "a=inactive");
                continue;
            }

            Section(sdp, local, m.Kind, m.Mid, pt.ToString(CultureInfo.InvariantCulture), "recvonly");
            string prefix = $"a=rtpmap:{pt} ";
            string fmtp = $"a=fmtp:{pt} ";
            string fb = $"a=rtcp-fb:{pt} ";
            foreach (string line in m.Lines)
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal) || line.StartsWith(fmtp, StringComparison.Ordinal)
                    || line.StartsWith(fb, StringComparison.Ordinal) || line.StartsWith("a=extmap:", StringComparison.Ordinal))
                {
                    Line(sdp, line);
                }
            }
        }

        return sdp.ToString();
    }

    private static void Session(StringBuilder sdp, string bundle)
    {
        Line(sdp, "v=0");
        Line(sdp, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line(sdp, "s=-");
        Line(sdp, "t=0 0");
        Line(sdp, $"a=group:BUNDLE {bundle}");
        Line(sdp, "a=msid-semantic: WMS bench");
    }

    private static void Section(StringBuilder sdp, LocalTransport local, string kind, string mid, string formats, string direction)
    {
        Line(sdp, $"m={kind} {local.Address.Port} UDP/TLS/RTP/SAVPF {formats}");
        Line(sdp, $"c=IN IP4 {local.Address.Address}");
        Line(sdp, $"a=mid:{mid}");
        Line(sdp, $"a={direction}");
        Line(sdp, "a=rtcp-mux");
        Line(sdp, $"a=ice-ufrag:{local.Ufrag}");
        Line(sdp, $"a=ice-pwd:{local.Pwd}");
        Line(sdp, $"a=fingerprint:{local.Fingerprint}");
        Line(sdp, "a=setup:active");
        Line(sdp, $"a=candidate:1 1 udp 2130706431 {local.Address.Address} {local.Address.Port} typ host");
        Line(sdp, "a=end-of-candidates");
    }

    private static void Line(StringBuilder sdp, string line) => sdp.Append(line).Append("\r\n");
}
