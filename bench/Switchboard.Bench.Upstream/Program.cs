using System.Net;
using Switchboard.Bench.Upstream;

// Switchboard.Bench.Upstream [--host 127.0.0.1] [--port 4100] [--delay-ms 0] [--chunks 20] [--chunk-interval-ms 10]
if (args is ["-h" or "--help" or "help", ..])
{
    Console.WriteLine(UpstreamOptions.Usage);
    return 0;
}
var options = UpstreamOptions.Parse(args, Console.Error);
if (options is null) return 2;

// The empty builder: Kestrel and one request delegate, no routing, no logging providers, no host filtering.
var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    // Slow streams (1 chunk/s for minutes) and thousands of them must never be cut by Kestrel's defaults.
    kestrel.Limits.MinResponseDataRate = null;
    kestrel.Limits.MaxConcurrentConnections = null;
    kestrel.Limits.MaxConcurrentUpgradedConnections = null;
    kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
    kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
});
var app = builder.Build();
var handler = new ChatHandler(options);
app.Run(handler.HandleAsync);
await app.StartAsync();
Console.WriteLine($"bench upstream on http://{options.Host}:{options.Port} (delay {options.DelayMs} ms, "
    + $"{options.Chunks} chunks every {options.ChunkIntervalMs} ms)");
await app.WaitForShutdownAsync();
return 0;
