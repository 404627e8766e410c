using Switchboard.Config;
using Switchboard.Usage;

namespace Switchboard.Hosting.Telemetry;

/// <summary>
/// The access log (<c>telemetry.access_log: true</c>): one Information line per finished request under the category
/// <see cref="Category"/>, as structured fields (the JSON log format carries each as its own member). It sees the
/// request's final ledger record (<see cref="UsageFanOut"/>), so it never touches the request path itself, and it is
/// registered only when switched on: off, it costs nothing.
/// </summary>
public sealed partial class AccessLog(ILoggerFactory loggers) : IUsageSink
{
    /// <summary>The log category of the access lines (filter on it to route them elsewhere).</summary>
    public const string Category = "Switchboard.Access";

    /// <summary>Longest model name written: the asked-for name is the client's text, unchecked when it is unknown.</summary>
    private const int MaxModelLength = 200;

    /// <summary>Written for a field the request does not have (no key in open mode, no provider before routing, no error).</summary>
    private const string None = "-";

    private readonly ILogger _logger = loggers.CreateLogger(Category);

    /// <summary>Registers the access log as a usage observer when <paramref name="settings"/> switch it on.</summary>
    public static void AddTo(IServiceCollection services, TelemetrySettings settings)
    {
        if (settings.AccessLog) UsageFanOut.AddUsageObserver<AccessLog>(services);
    }

    public void Record(UsageRecord record)
    {
        if (!_logger.IsEnabled(LogLevel.Information)) return;
        var model = record.Model.Length > MaxModelLength ? string.Concat(record.Model.AsSpan(0, MaxModelLength), "…") : record.Model;
        // Cost and TTFT are numbers when known and "-" when not (unpriced model, no first byte): boxed as object so the
        // JSON format writes a number or a string rather than "(null)".
        object cost = record.CostUsd is { } usd ? usd : None;
        object ttft = record.TimeToFirstTokenMs is { } firstByte ? Math.Round(firstByte, 1) : None;
        var latency = Math.Round(record.LatencyMs, 1);
        LogRequest(_logger, record.RequestId, record.Endpoint, record.KeyName ?? None, model.Length > 0 ? model : None,
            record.Provider ?? None, record.UpstreamModel ?? None, record.Status, record.ErrorCode ?? None,
            record.Usage.PromptTokens, record.Usage.CompletionTokens, cost, latency, ttft, record.Attempts, record.Stream);
    }

    [LoggerMessage(EventId = 1, EventName = "Request", Level = LogLevel.Information, Message =
        "{RequestId} {Endpoint} key={Key} model={Model} provider={Provider} upstream_model={UpstreamModel} status={Status} error={ErrorCode} "
        + "tokens_in={InputTokens} tokens_out={OutputTokens} cost_usd={CostUsd} latency_ms={LatencyMs} ttft_ms={TtftMs} attempts={Attempts} stream={Stream}")]
    private static partial void LogRequest(ILogger logger, string requestId, string endpoint, string key, string model, string provider, string upstreamModel,
        int status, string errorCode, long inputTokens, long outputTokens, object costUsd, double latencyMs, object ttftMs, int attempts, bool stream);
}
