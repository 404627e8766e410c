using System.Diagnostics;
using System.Diagnostics.Metrics;
using Switchboard.Usage;

namespace Switchboard.Telemetry;

/// <summary>
/// The metrics of a finished request, recorded from its final <see cref="UsageRecord"/> (a usage observer): requests
/// and cost by model, provider, endpoint and status; the GenAI client metrics (duration, time to first chunk, token
/// usage) of requests that reached an upstream. Labels take only names from the config (an unknown model becomes
/// <see cref="MetricTags.UnknownModel"/>) and, when <c>telemetry.metrics_key_labels</c> is on, the key's and team's names.
/// </summary>
public sealed class RequestMetrics(RuntimeHolder runtimes) : IUsageSink
{
    /// <summary>The semantic conventions' buckets for <c>gen_ai.client.token.usage</c>.</summary>
    private static readonly long[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
    /// <summary>The semantic conventions' buckets for <c>gen_ai.client.operation.duration</c> (and time to first chunk), in seconds.</summary>
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

    private static readonly Counter<long> Requests = GatewayTelemetry.Meter.CreateCounter<long>("switchboard.requests", "{request}",
        "Finished client requests, by model, provider, endpoint and HTTP status.");
    private static readonly Counter<double> Cost = GatewayTelemetry.Meter.CreateCounter<double>("switchboard.cost.usd", "{USD}",
        "What finished requests cost in US dollars (priced models only).");
    private static readonly Histogram<long> TokenUsage = GatewayTelemetry.Meter.CreateHistogram("gen_ai.client.token.usage", "{token}",
        "Input and output tokens per request, as the upstream reported them.", advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = TokenBuckets });
    private static readonly Histogram<double> Duration = GatewayTelemetry.Meter.CreateHistogram("gen_ai.client.operation.duration", "s",
        "Time from the request's arrival to its last byte, for requests that reached an upstream.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
    private static readonly Histogram<double> TimeToFirstChunk = GatewayTelemetry.Meter.CreateHistogram("gen_ai.client.operation.time_to_first_chunk", "s",
        "Time from a streamed request's arrival to the first byte sent to the client.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });

    public void Record(UsageRecord record)
    {
        if (!Requests.Enabled) return;
        var runtime = runtimes.Current;
        var model = runtime.TryGetModel(record.Model, out var routed) ? routed.Name : MetricTags.UnknownModel;
        var provider = record.Provider ?? MetricTags.None;
        var keyLabels = runtime.Config.Telemetry.MetricsKeyLabels;

        var tags = new TagList
        {
            { MetricTags.RequestModel, model },
            { MetricTags.ProviderName, provider },
            { MetricTags.Endpoint, record.Endpoint },
            { MetricTags.StatusCode, MetricTags.BoxedStatus(record.Status) },
        };
        if (keyLabels) AddKeyLabels(ref tags, record);
        Requests.Add(1, tags);
        if (record.CostUsd is { } cost) Cost.Add((double)cost, tags);
        if (record.Provider is null) return; // refused before routing: no GenAI operation took place

        var operation = new TagList
        {
            { MetricTags.OperationName, MetricTags.OperationFor(record.Endpoint) },
            { MetricTags.ProviderName, provider },
            { MetricTags.RequestModel, model },
            { MetricTags.ResponseModel, record.UpstreamModel ?? MetricTags.None },
        };
        if (record.Status != 200) operation.Add(MetricTags.ErrorType, MetricTags.StatusText(record.Status));
        Duration.Record(record.LatencyMs / 1000, operation);
        if (record.Stream && record.TimeToFirstTokenMs is { } firstChunkMs) TimeToFirstChunk.Record(firstChunkMs / 1000, operation);
        if (record.UsageMissing) return;
        if (keyLabels) AddKeyLabels(ref operation, record);
        operation.Add(MetricTags.TokenType, "input");
        TokenUsage.Record(record.Usage.PromptTokens, operation);
        operation[operation.Count - 1] = new(MetricTags.TokenType, "output");
        TokenUsage.Record(record.Usage.CompletionTokens, operation);
    }

    private static void AddKeyLabels(ref TagList tags, UsageRecord record)
    {
        tags.Add(MetricTags.Key, record.KeyName ?? MetricTags.None);
        tags.Add(MetricTags.Team, record.Team ?? MetricTags.None);
    }
}
