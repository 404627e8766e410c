namespace Switchboard.Usage;

/// <summary>One request as the ledger sees it: who, what, where it went, how it ended, what it cost in tokens.</summary>
public sealed record UsageRecord
{
    /// <summary>The gateway's own id for the request (unique, time-ordered): the ledger's key.</summary>
    public required string RequestId { get; init; }
    /// <summary>The id the client sent in <c>x-request-id</c> (or <c>x-client-request-id</c>), if acceptable; stored beside the gateway's.</summary>
    public string? ClientRequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    /// <summary>The virtual key's name (never its secret); null in open mode.</summary>
    public string? KeyName { get; init; }
    /// <summary>The virtual key's stable id (never its secret); null in open mode.</summary>
    public string? KeyId { get; init; }
    /// <summary>The team the key belongs to, if any.</summary>
    public string? Team { get; init; }
    /// <summary>The client-facing endpoint, e.g. <c>chat.completions</c>.</summary>
    public required string Endpoint { get; init; }
    /// <summary>The model name the client asked for.</summary>
    public required string Model { get; init; }
    /// <summary>The provider that produced the final answer (or the last one tried).</summary>
    public string? Provider { get; init; }
    public string? UpstreamModel { get; init; }
    public required int Status { get; init; }
    public string? ErrorCode { get; init; }
    public bool Stream { get; init; }
    public TokenUsage Usage { get; init; }
    /// <summary>True when the upstream reported no usage (e.g. a stream the client aborted).</summary>
    public bool UsageMissing { get; init; }
    public double LatencyMs { get; init; }
    /// <summary>Time to the first byte sent to the client (streams), in milliseconds.</summary>
    public double? TimeToFirstTokenMs { get; init; }
    /// <summary>How many upstream attempts the request took.</summary>
    public int Attempts { get; init; }
    /// <summary>Each attempt as <c>provider:status</c>, comma-separated in order (e.g. <c>a:429,b:200</c>).</summary>
    public string? AttemptLog { get; init; }
    /// <summary>The request fields adapted or left out for the upstream that answered, comma-separated (the
    /// <c>x-switchboard-adjusted</c> header); null when the request went as sent.</summary>
    public string? Adjusted { get; init; }
    /// <summary>What the request cost in USD; null when the model has no known price (unpriced, never silently $0).</summary>
    public decimal? CostUsd { get; init; }
    /// <summary>True when tokens (and so cost) were estimated because the upstream reported no usage.</summary>
    public bool CostEstimated { get; init; }
    /// <summary>What the request is billed by besides tokens (audio seconds and characters); for pricing, not a ledger column.</summary>
    public MeteredUnits Units { get; init; }
}

/// <summary>Where finished requests go. Implementations must not block the request path.</summary>
public interface IUsageSink
{
    void Record(UsageRecord record);
}
