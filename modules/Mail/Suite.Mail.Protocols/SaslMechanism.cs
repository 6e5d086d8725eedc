using System.Globalization;
using System.Text;

namespace Suite.Mail.Protocols;

/// <summary>
/// The client side of the one-step SASL mechanisms mail servers offer: the initial response, and what to answer
/// when the server replies with a challenge instead of success (for the OAuth mechanisms, an error report).
/// </summary>
internal sealed class SaslMechanism
{
    private SaslMechanism(string name, byte[] initialResponse, string answerToError)
    {
        Name = name;
        InitialResponse = initialResponse;
        AnswerToError = answerToError;
    }

    public string Name { get; }

    public byte[] InitialResponse { get; }

    /// <summary>Base64 line sent in reply to an unexpected challenge, to let the server finish with its error.</summary>
    public string AnswerToError { get; }

    /// <summary>RFC 4616: authorization id (empty), user, password, separated by NUL.</summary>
    public static SaslMechanism Plain(string user, string password) =>
        new("PLAIN", Encoding.UTF8.GetBytes("\0" + user + "\0" + password), "*");

    /// <summary>Google/Microsoft's XOAUTH2: "user=…^Aauth=Bearer …^A^A"; an error challenge is answered with an empty line.</summary>
    public static SaslMechanism XOAuth2(string user, string accessToken) =>
        new("XOAUTH2", Encoding.UTF8.GetBytes("user=" + user + "\u0001auth=Bearer " + accessToken + "\u0001\u0001"), string.Empty);

    /// <summary>RFC 7628 OAUTHBEARER with a GS2 header; an error challenge is answered with a lone ^A (RFC 7628 §3.2.3).</summary>
    public static SaslMechanism OAuthBearer(string user, string accessToken, string host, int port) =>
        new(
            "OAUTHBEARER",
            Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"n,a={EscapeSaslName(user)},\u0001host={host}\u0001port={port}\u0001auth=Bearer {accessToken}\u0001\u0001")),
            "AQ==");

    private static string EscapeSaslName(string name) => name.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal);
}
