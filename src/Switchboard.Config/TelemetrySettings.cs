namespace Switchboard.Config;

/// <summary>
/// The <c>telemetry:</c> section: the Prometheus endpoint, what spans may carry, and the access log. Where traces and
/// metrics are exported over OTLP is not here: the standard <c>OTEL_*</c> environment variables say that.
/// </summary>
public sealed record TelemetrySettings
{
    /// <summary>Whether <c>GET /metrics</c> is served (Prometheus text format); true by default.</summary>
    public bool Metrics { get; init; } = true;

    /// <summary>When set, <c>GET /metrics</c> needs <c>Authorization: Bearer &lt;token&gt;</c> (a secret: never logged).</summary>
    public string? MetricsToken { get; init; }

    /// <summary>
    /// Whether metrics carry the virtual key's and team's names as labels. Off by default: every key multiplies the
    /// series a scrape returns.
    /// </summary>
    public bool MetricsKeyLabels { get; init; }

    /// <summary>Whether spans carry the prompts and answers (OpenTelemetry's opt-in content capture); off by default.</summary>
    public bool TraceContent { get; init; }

    /// <summary>Whether every finished request writes one line to the log (method, path, key name, model, status, tokens, latency).</summary>
    public bool AccessLog { get; init; }
}
