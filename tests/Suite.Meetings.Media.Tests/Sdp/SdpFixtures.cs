using System.Net;
using Suite.Meetings.Media.Dtls;
using Suite.Meetings.Media.Sdp;

namespace Suite.Meetings.Media.Tests.Sdp;

internal static class SdpFixtures
{
    public const string ChromiumSimulcast = "chromium-publisher-simulcast.sdp";
    public const string ChromiumPlain = "chromium-sendrecv-no-simulcast.sdp";
    public const string FirefoxStyleSimulcast = "firefox-style-publisher-simulcast.sdp";

    public static readonly DtlsCertificate SfuCertificate = DtlsCertificate.CreateSelfSigned("sdp-tests");

    public static string Load(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Sdp", "Fixtures", name));

    public static SessionDescription Parse(string name) => SdpParser.Parse(Load(name));

    public static SfuTransportParameters SfuTransport(params string[] endpoints) => new(
        "sfuU",
        "sfuPasswordSfuPassword12",
        SfuCertificate.Fingerprint,
        (endpoints.Length == 0 ? ["192.0.2.10:40000", "[2001:db8::10]:40000"] : endpoints).Select(IPEndPoint.Parse).ToList());
}
