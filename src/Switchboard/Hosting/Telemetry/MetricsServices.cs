using Switchboard.Config;

namespace Switchboard.Hosting.Telemetry;

/// <summary>The gateway's metrics: the OpenTelemetry meter provider and <c>GET /metrics</c> (Prometheus text format).</summary>
public static class MetricsServices
{
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, TelemetrySettings settings) => services;

    public static void MapGatewayMetrics(this WebApplication app, TelemetrySettings settings)
    {
    }
}
