using Microsoft.AspNetCore.Server.Kestrel.Core;
using Switchboard.Endpoints;
using Switchboard.Hosting.Telemetry;
using Switchboard.Pipeline;
using Switchboard.Providers.Anthropic;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;
using Switchboard.Usage;
using Switchboard.WebConsole;

namespace Switchboard.Hosting;

/// <summary>Builds the gateway's web host: Kestrel tuned for proxying, the services, the endpoints.</summary>
public static class GatewayApp
{
    /// <summary>Time a stop allows after <c>server.shutdown_timeout</c>: the cut requests finish, then the ledger flushes.</summary>
    public static readonly TimeSpan LedgerFlushAllowance = TimeSpan.FromSeconds(15);

    public static WebApplication Build(GatewayOptions options, Action<ILoggingBuilder>? configureLogging = null)
    {
        // No reload-on-change for the host's own appsettings files (the gateway is configured by its YAML file, which
        // ConfigReloader watches): that reload watches the whole content root recursively, so every SQLite write under
        // ./data would raise a file-system event: a managed allocation and a thread-pool callback per request.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Config.Server.MaxBodySize;
            // Streams can be idle for a long time while a model thinks; never cut them for "slow" data rates.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(10));
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(2);
        });
        // Run request code straight from the socket's completion instead of hopping through the thread pool: on a
        // 2-core box each hop costs more than the gateway's own work. Safe because nothing on the path blocks.
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.UseUrls($"http://{FormatHost(options.Host)}:{options.Port}");
        GatewayLogging.AddConsole(builder.Logging, options.LogFormat);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // While this logger is enabled at any level, hosting starts an Activity (random trace id, Activity.Current
        // bookkeeping) and a logging scope for every request (≈ 480 B per request); it only logs request start/finish
        // at Information/Debug, which the filter above already drops. Startup failures still surface (rethrown to serve).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        configureLogging?.Invoke(builder.Logging);

        // Storage: the database (SQLite file or PostgreSQL), the cached key directory and the usage ledger. Hosted
        // services start in registration order before Kestrel and stop after it, so the ledger drains last.
        var database = SwitchboardDatabase.FromConfigValue(options.Config.Database);
        builder.Services.AddSingleton(database);
        builder.Services.AddSingleton(options.Config);
        // Routing state that outlives config reloads (deployment health), and the reloader itself.
        builder.Services.AddSingleton<Switchboard.Routing.DeploymentHealthRegistry>();
        builder.Services.AddSingleton<ConfigReloader>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigReloader>());
        builder.Services.AddSingleton(options.Time ?? TimeProvider.System);
        builder.Services.AddSingleton<KeyRepository>();
        builder.Services.AddSingleton<KeyDirectory>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<KeyDirectory>());
        builder.Services.AddSingleton(sp => new LedgerWriter(new LedgerRepository(database),
            options.DataDirectory ?? DataDirectoryFor(database.Location), sp.GetRequiredService<ILogger<LedgerWriter>>()));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LedgerWriter>());
        builder.Services.AddSingleton<UsageQueries>();
        builder.Services.AddSingleton<Switchboard.Admin.KeyAdministration>();
        builder.Services.AddStoredResponses(database);
        builder.Services.AddSingleton(sp => new RuntimeHolder(new GatewayRuntime(options.Config, sp.GetRequiredService<KeyDirectory>(),
            sp.GetRequiredService<Switchboard.Routing.DeploymentHealthRegistry>())));
        // The ledger, plus a small in-memory ring that answers /admin/logs while the database is unreachable.
        builder.Services.AddSingleton<RecentRequestLog>();
        builder.Services.AddSingleton<IUsageSink>(sp => new UsageFanOut([sp.GetRequiredService<LedgerWriter>(), sp.GetRequiredService<RecentRequestLog>(),
            .. sp.GetKeyedServices<IUsageSink>(UsageFanOut.ObserverKey)]));
        builder.Services.AddLimits(options.Config, options.LimitLeases);
        // A stop drains: Kestrel stops accepting and waits for the requests in flight until server.shutdown_timeout,
        // when ShutdownDrain ends the rest with an error (streams get an error event); the host's own limit leaves
        // room after that for those requests to finish and for the ledger (stopped after Kestrel) to flush.
        var shutdownTimeout = options.Config.Server.ShutdownTimeout;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = shutdownTimeout + LedgerFlushAllowance);
        builder.Services.AddSingleton<ShutdownDrain>();
        builder.Services.AddSingleton<GatewayProxy>();
        builder.Services.AddSingleton<CountTokensHandler>();
        builder.Services.AddSingleton<Switchboard.Providers.Gemini.GeminiCountTokensHandler>();
        builder.Services.AddGatewayMetrics(options.Config.Telemetry);
        builder.Services.AddGatewayTracing(options.Config.Telemetry, builder.Configuration);
        AccessLog.AddTo(builder.Services, options.Config.Telemetry);
        builder.Services.AddWebConsole(options.DataDirectory ?? DataDirectoryFor(database.Location));
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));

        var app = builder.Build();
        var runtimes = app.Services.GetRequiredService<RuntimeHolder>();
        var drain = app.Services.GetRequiredService<ShutdownDrain>();
        app.Lifetime.ApplicationStopping.Register(() => drain.Begin(shutdownTimeout));
        // Off the request path: the tokenizer's data loads while the gateway already answers.
        app.Lifetime.ApplicationStarted.Register(() => ThreadPool.UnsafeQueueUserWorkItem(static _ => TokenCounter.WarmUp(), null));
        app.Lifetime.ApplicationStopped.Register(() => runtimes.Current.Dispose());
        app.Lifetime.ApplicationStopped.Register(() => database.DisposeAsync().AsTask().GetAwaiter().GetResult());
        app.UseMiddleware<RequestIdMiddleware>();
        app.MapGatewayMetrics(options.Config.Telemetry);
        app.MapWebConsole();
        app.MapGatewayEndpoints();
        return app;
    }

    /// <summary>The SQLite file's directory, or ./data for PostgreSQL.</summary>
    public static string DataDirectoryFor(DatabaseLocation location) =>
        location.SqlitePath is { } path ? Path.GetDirectoryName(path)! : Path.GetFullPath("data");

    private static string FormatHost(string host) => host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? $"[{host}]" : host;
}
