using YamlDotNet.RepresentationModel;

namespace Switchboard.Config;

/// <summary>Maps the top-level <c>telemetry:</c> section (<see cref="TelemetrySettings"/>).</summary>
internal static class TelemetryMapper
{
    private static readonly string[] TelemetryKeys = ["metrics", "metrics_token", "metrics_key_labels", "trace_content", "access_log"];

    public static TelemetrySettings Read(YamlNode? node, YamlNodeReader reader)
    {
        var defaults = new TelemetrySettings();
        if (node is null || reader.Fields(node, "telemetry", TelemetryKeys) is not { } fields)
        {
            return defaults;
        }

        var token = reader.Text(fields.Get("metrics_token"), fields.PathOf("metrics_token"), secret: true);
        if (token is { Length: 0 }) token = null;
        return new TelemetrySettings
        {
            Metrics = RoutingMapper.ReadBool(fields.Get("metrics"), fields.PathOf("metrics"), reader) ?? defaults.Metrics,
            MetricsToken = token,
            MetricsKeyLabels = RoutingMapper.ReadBool(fields.Get("metrics_key_labels"), fields.PathOf("metrics_key_labels"), reader) ?? defaults.MetricsKeyLabels,
            TraceContent = RoutingMapper.ReadBool(fields.Get("trace_content"), fields.PathOf("trace_content"), reader) ?? defaults.TraceContent,
            AccessLog = RoutingMapper.ReadBool(fields.Get("access_log"), fields.PathOf("access_log"), reader) ?? defaults.AccessLog,
        };
    }
}
