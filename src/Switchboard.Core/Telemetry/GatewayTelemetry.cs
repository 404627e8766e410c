using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>
/// The gateway's own instrumentation: one <see cref="ActivitySource"/> for its spans and one <see cref="Meter"/> for
/// its metrics, both named <see cref="Name"/>. They cost nothing while no listener (OpenTelemetry's tracer or meter
/// provider) subscribes.
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>The ActivitySource's and the Meter's name (what an OpenTelemetry setup subscribes to).</summary>
    public const string Name = "Switchboard";

    private static readonly string? Version = typeof(GatewayTelemetry).Assembly.GetName().Version?.ToString();

    public static readonly ActivitySource Source = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);
}
