using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Switchboard.Config;
using Switchboard.Telemetry;

namespace Switchboard.Hosting.Telemetry;

/// <summary>
/// Traces and metrics exported over OTLP when the standard <c>OTEL_*</c> environment variables ask for it
/// (docs/observability.md, "Traces"). With none of them set nothing is registered: no tracer provider, no listener on
/// <see cref="GatewayTelemetry.Source"/>, so the request path only tests <c>HasListeners()</c>.
/// </summary>
public static class TracingServices
{
    /// <summary>service.name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names the service.</summary>
    public const string DefaultServiceName = "switchboard";

    private const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    private const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    private const string MetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";

    /// <param name="services">The gateway's services.</param>
    /// <param name="settings">The <c>telemetry:</c> section (trace_content is read per request, so a reload applies it).</param>
    /// <param name="configuration">The host's configuration: environment variables, where the OpenTelemetry SDK reads <c>OTEL_*</c>.</param>
    public static IServiceCollection AddGatewayTracing(this IServiceCollection services, TelemetrySettings settings, IConfiguration configuration)
    {
        _ = settings; // nothing here depends on it yet: content capture is decided per request
        var (traces, metrics) = ExportedSignals(configuration);
        if (!traces && !metrics) return services;

        var otel = services.AddOpenTelemetry().ConfigureResource(resource =>
        {
            // The SDK's default is unknown_service:dotnet; an operator's own naming (read by the SDK itself) wins.
            if (!NamesService(configuration)) resource.AddService(DefaultServiceName, serviceVersion: typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString());
        });
        if (traces)
        {
            UsageFanOut.AddUsageObserver<RequestSpanCloser>(services);
            otel.WithTracing(tracing => tracing
                .AddSource(GatewayTelemetry.Name)
                .AddOtlpExporter(options => ApplySignalVariables(options, configuration, "TRACES")));
        }
        if (metrics)
        {
            // The gateway's own meter (its instruments: MetricsServices) and .NET's built-in runtime meter (GC, thread
            // pool, memory: observed at export, nothing per request).
            otel.WithMetrics(meters => meters
                .AddMeter(GatewayTelemetry.Name, "System.Runtime")
                .AddOtlpExporter(options => ApplySignalVariables(options, configuration, "METRICS")));
        }
        return services;
    }

    /// <summary>
    /// Which signals go out over OTLP: traces when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or
    /// <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> is set, metrics likewise with <c>..._METRICS_ENDPOINT</c>; none when
    /// <c>OTEL_SDK_DISABLED=true</c>.
    /// </summary>
    public static (bool Traces, bool Metrics) ExportedSignals(IConfiguration configuration)
    {
        if (string.Equals(configuration["OTEL_SDK_DISABLED"]?.Trim(), "true", StringComparison.OrdinalIgnoreCase)) return (false, false);
        var all = IsSet(configuration, Endpoint);
        return (all || IsSet(configuration, TracesEndpoint), all || IsSet(configuration, MetricsEndpoint));
    }

    /// <summary>
    /// The signal-specific variables (<c>OTEL_EXPORTER_OTLP_{SIGNAL}_ENDPOINT</c>, <c>_PROTOCOL</c>, <c>_HEADERS</c>)
    /// over the general ones, which the SDK has already applied. Hand-written because the SDK's per-signal
    /// <c>AddOtlpExporter</c> reads only the general ones, and its <c>UseOtlpExporter</c> (which reads both) would also
    /// export logs and send every signal to the default endpoint when only one signal's endpoint is set.
    /// </summary>
    private static void ApplySignalVariables(OtlpExporterOptions options, IConfiguration configuration, string signal)
    {
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_PROTOCOL"]?.Trim() is { Length: > 0 } protocol)
        {
            options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        }
        // The spec: a signal-specific endpoint is used as it is (no /v1/traces appended).
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT"]?.Trim() is { Length: > 0 } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            options.Endpoint = uri;
        }
        if (configuration[$"OTEL_EXPORTER_OTLP_{signal}_HEADERS"]?.Trim() is { Length: > 0 } headers) options.Headers = headers;
    }

    private static bool IsSet(IConfiguration configuration, string name) => !string.IsNullOrWhiteSpace(configuration[name]);

    private static bool NamesService(IConfiguration configuration) =>
        IsSet(configuration, "OTEL_SERVICE_NAME")
        || (configuration["OTEL_RESOURCE_ATTRIBUTES"] ?? "").Split(',').Any(pair => pair.Split('=')[0].Trim() == "service.name");
}
