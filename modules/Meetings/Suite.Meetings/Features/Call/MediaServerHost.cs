using System.Net;
using Microsoft.Extensions.Configuration;
using Suite.Meetings.Media;

namespace Suite.Meetings.Features.Call;

/// <summary>Reads the SFU's settings: <c>Meetings:Media:Port</c> (default 40000, 0 = any free port),
/// <c>Meetings:Media:BindAddress</c> (default all addresses) and <c>Meetings:Media:AdvertisedAddresses</c>
/// (comma-separated, or a configuration array: the public addresses behind a 1:1 NAT).</summary>
internal static class MediaServerConfiguration
{
    public static MediaServerOptions Read(IConfiguration configuration)
    {
        var section = configuration.GetSection("Meetings:Media");
        var options = new MediaServerOptions { Port = section.GetValue("Port", 40000) };
        if (section["BindAddress"] is { Length: > 0 } bind)
            options = options with { BindAddress = IPAddress.Parse(bind) };
        var advertised = section.GetSection("AdvertisedAddresses").GetChildren().Select(c => c.Value).ToList();
        if (section["AdvertisedAddresses"] is { Length: > 0 } list)
            advertised.AddRange(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return options with { AdvertisedAddresses = [.. advertised.Where(a => !string.IsNullOrEmpty(a)).Select(a => IPAddress.Parse(a!))] };
    }
}
