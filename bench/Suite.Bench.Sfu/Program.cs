using System.Globalization;
using System.Net;
using Suite.Bench.Sfu;
using Suite.Meetings.Media;

// Host of the embedded SFU for bench/sfu.sh (see bench/README.md, "SFU: embedded vs Janus 1.1.2").
// Usage: Suite.Bench.Sfu [--http-port 8089] [--media-port 0]. Prints "READY <http-port> <media-port>" once listening.
//        Suite.Bench.Sfu loadgen — the native load generator (LoadGen/LoadGenerator.cs), driven over stdin/stdout.
if (args is ["loadgen"])
{
    return await Suite.Bench.Sfu.LoadGen.LoadGenerator.RunAsync();
}

int httpPort = 8089;
int mediaPort = 0;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--http-port":
            httpPort = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        case "--media-port":
            mediaPort = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"unknown option {args[i]}");
            return 2;
    }
}

using IMediaServer server = MediaServerFactory.Start(new MediaServerOptions
{
    BindAddress = IPAddress.Loopback,
    Port = mediaPort,
    AdvertisedAddresses = [IPAddress.Loopback],
    MaxParticipantsPerRoom = 1000,
});
var host = new SignallingHost(server, httpPort);
Console.WriteLine($"READY {httpPort} {server.LocalEndPoint.Port}");
await host.RunAsync();
return 0;
