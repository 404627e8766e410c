using OpenTelemetry.Metrics;
using Switchboard.Config;
using Switchboard.Storage.Usage;
using Switchboard.Telemetry;

namespace Switchboard.Hosting.Telemetry;

/// <summary>The gateway's metrics: the OpenTelemetry meter provider and <c>GET /metrics</c> (Prometheus text format).</summary>
public static class MetricsServices
{
    /// <summary>The scrape path.</summary>
    public const string Path = "/metrics";

    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, TelemetrySettings settings)
    {
        // Always registered (an OTLP metrics export may listen without /metrics); with no listener on the meter its
        // Record is one branch.
        UsageFanOut.AddUsageObserver<RequestMetrics>(services);
        if (!settings.Metrics) return services;
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(GatewayTelemetry.Name)
            // .NET's own runtime meter (GC, heap, thread pool, lock contention): observed only when scraped.
            .AddMeter("System.Runtime")
            // No scrape cache: a scrape sees every request finished before it (the collection itself is cheap).
            .AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0));
        return services;
    }

    public static void MapGatewayMetrics(this WebApplication app, TelemetrySettings settings)
    {
        // The observable gauges read this host's deployments and ledger backlog when collected (never per request).
        var runtimes = app.Services.GetRequiredService<RuntimeHolder>();
        var ledger = app.Services.GetRequiredService<LedgerWriter>();
        IDisposable[] sources =
        [
            DeploymentMetrics.Register(runtimes, app.Services.GetRequiredService<TimeProvider>()),
            LedgerMetrics.Register(() => ledger.Pending),
        ];
        app.Lifetime.ApplicationStopped.Register(() => { foreach (var source in sources) source.Dispose(); });
        if (!settings.Metrics) return;
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null,
                configureBranchedPipeline: branch => branch.Use((context, next) => MetricsBearer.CheckAsync(context, next, runtimes)), optionsName: null)
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
    }
}
