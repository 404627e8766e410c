using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>Upstream attempts, retries and fallbacks, counted as each attempt ends (called by the attempt loop).</summary>
public static class UpstreamMetrics
{
    private static readonly Counter<long> Attempts = GatewayTelemetry.Meter.CreateCounter<long>("switchboard.upstream.attempts", "{attempt}",
        "Upstream attempts, by provider, upstream model and the attempt's HTTP status (499: the client left).");
    private static readonly Counter<long> Retries = GatewayTelemetry.Meter.CreateCounter<long>("switchboard.upstream.retries", "{attempt}",
        "Attempts after a request's first one (the same deployment again or another one), by the provider tried.");
    private static readonly Counter<long> Fallbacks = GatewayTelemetry.Meter.CreateCounter<long>("switchboard.fallbacks", "{request}",
        "Requests answered by another deployment (or fallback model) than the first one tried, by the one that answered.");

    /// <summary>
    /// One finished attempt: its <paramref name="status"/> (200 for an answer), its number within the request, and
    /// whether it answered after another deployment failed.
    /// </summary>
    public static void Attempted(string provider, string upstreamModel, int status, int attempt, bool answeredByFallback)
    {
        if (!Attempts.Enabled) return;
        var tags = new TagList
        {
            { MetricTags.ProviderName, provider },
            { MetricTags.ResponseModel, upstreamModel },
        };
        if (attempt > 1) Retries.Add(1, tags);
        if (answeredByFallback) Fallbacks.Add(1, tags);
        tags.Add(MetricTags.StatusCode, MetricTags.BoxedStatus(status));
        Attempts.Add(1, tags);
    }
}
