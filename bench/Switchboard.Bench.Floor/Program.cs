using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Bench.Floor;
using Switchboard.Config;
using Yarp.ReverseProxy.Forwarder;

// Switchboard.Bench.Floor serve --config FILE [--host 127.0.0.1] [--port 4000]
//
// The .NET floor: what a gateway on this platform costs before it does anything of its own. Kestrel and YARP's
// forwarder (IHttpForwarder over one SocketsHttpHandler), with the gateway's runtime settings (inline socket
// completions, inline scheduling, the same GC, the csproj's switches, the gateway's gen0 budget), and on the request
// path only a key check and the key swap. No routing, no JSON, no limits, no ledger.
// It takes the gateway's command line and config file, so bench/ab.sh runs it as a variant (BIN=...).

// As src/Switchboard/Program.cs, first of all: `serve` on Linux restarts itself once with the 32 MiB gen0 budget.
Switchboard.Hosting.Gen0Budget.EnsureForServe(args);

if (args is not ["serve", ..])
{
    Console.Error.WriteLine("usage: Switchboard.Bench.Floor serve --config FILE [--host 127.0.0.1] [--port 4000]");
    return 2;
}
string? configPath = null, host = "127.0.0.1";
var port = 4000;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--config" or "-c": configPath = args[i + 1]; break;
        case "--host": host = args[i + 1]; break;
        case "--port": port = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (configPath is null)
{
    Console.Error.WriteLine("--config is required");
    return 2;
}
var config = ConfigLoader.LoadFile(configPath, Switchboard.Providers.ProviderRegistry.Default).GetConfigOrThrow();
var clientKeys = FloorConfig.ClientKeys(config);
var (origin, upstreamKey) = FloorConfig.Upstream(config);

// As src/Switchboard/Program.cs: socket completions inline on the event threads (read once, before the first socket).
Environment.SetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1");

var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    kestrel.Limits.MinResponseDataRate = null;
    kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
    kestrel.Listen(IPAddress.Parse(host), port, listen => listen.Protocols = HttpProtocols.Http1);
});
builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
builder.Services.AddHttpForwarder();
var app = builder.Build();

// One pooled handler, set up as YARP's docs advise for direct forwarding.
using var upstream = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
});
var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
var transformer = new KeySwapTransformer(upstreamKey);
var requestConfig = new ForwarderRequestConfig { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
var unauthorized = """{"error":{"message":"Invalid API key.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}"""u8.ToArray();
var ready = """{"status":"ready"}"""u8.ToArray();

app.Run(async context =>
{
    if (context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal))
    {
        // bench/run.sh waits for the gateway's /health/ready before it measures.
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(ready);
        return;
    }
    // A plain set lookup of the presented key (the gateway hashes it and looks it up in its key cache): the floor is
    // meant to be the cheapest check that still refuses a wrong key, as bench/run.sh's sanity check requires.
    var authorization = context.Request.Headers.Authorization.ToString();
    if (!authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !clientKeys.Contains(authorization[7..]))
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(unauthorized);
        return;
    }
    var error = await forwarder.SendAsync(context, origin, upstream, requestConfig, transformer);
    if (error != ForwarderError.None && !context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status502BadGateway;
});

await app.StartAsync();
Console.WriteLine($"floor proxy on http://{host}:{port} -> {origin} (pid {Environment.ProcessId}, gen0size {Environment.GetEnvironmentVariable("DOTNET_GCgen0size") ?? "default"})");
await app.WaitForShutdownAsync();
return 0;
