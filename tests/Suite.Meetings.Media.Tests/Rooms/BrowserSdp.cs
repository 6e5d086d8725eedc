using System.Globalization;
using System.Text;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Rooms;

/// <summary>Answers an SFU subscriber offer the way a browser does (setup:active, recvonly, first codec), for tests without one.</summary>
internal static class BrowserSdp
{
    public static readonly DtlsCertificate BrowserCertificate = DtlsCertificate.CreateSelfSigned("browser");

    public static string AnswerTo(string offerSdp, string iceUfrag = "brws", string setup = "active")
    {
        SessionDescription offer = SdpParser.Parse(offerSdp);
        var text = new StringBuilder();
        text.Append("v=0\r\no=- 42 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        text.Append("a=group:BUNDLE ").Append(string.Join(' ', offer.Media.Select(media => media.Mid))).Append("\r\n");
        foreach (MediaDescription media in offer.Media)
        {
            SdpCodec codec = media.Codecs[0];
            text.Append(CultureInfo.InvariantCulture, $"m={media.Kind} 9 UDP/TLS/RTP/SAVPF {codec.PayloadType}\r\n");
            text.Append("c=IN IP4 0.0.0.0\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{iceUfrag}\r\na=ice-pwd:browserpasswordbrowserpw\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=fingerprint:{BrowserCertificate.Fingerprint.ToSdpValue()}\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=setup:{setup}\r\na=mid:{media.Mid}\r\n");
            text.Append(media.Direction == SdpDirection.Inactive ? "a=inactive\r\n" : "a=recvonly\r\n");
            text.Append("a=rtcp-mux\r\n");
            text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{codec.PayloadType} {codec.Name}/{codec.ClockRate}{(codec.Channels > 1 ? "/" + codec.Channels : "")}\r\n");
        }

        return text.ToString();
    }
}
