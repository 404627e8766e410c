using System.Text.Json.Serialization;

namespace Switchboard.Endpoints;

/// <summary>OpenAI model object (<c>GET /v1/models</c>).</summary>
public sealed record ModelObject(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("owned_by")] string OwnedBy);

/// <summary>OpenAI list envelope.</summary>
public sealed record ModelList(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("data")] IReadOnlyList<ModelObject> Data);

/// <summary>One row of <c>GET /admin/logs</c>: never a secret, only the key's name.</summary>
public sealed record RequestLogEntry(
    [property: JsonPropertyName("request_id")] string RequestId,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("key_name")] string? KeyName,
    [property: JsonPropertyName("endpoint")] string Endpoint,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("upstream_model")] string? UpstreamModel,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("error_code")] string? ErrorCode,
    [property: JsonPropertyName("stream")] bool Stream,
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("reasoning_tokens")] long ReasoningTokens,
    [property: JsonPropertyName("usage_reported")] bool UsageReported,
    [property: JsonPropertyName("latency_ms")] double LatencyMs,
    [property: JsonPropertyName("ttft_ms")] double? TimeToFirstTokenMs,
    [property: JsonPropertyName("attempts")] int Attempts)
{
    [JsonPropertyName("key_id")] public string? KeyId { get; init; }
    [JsonPropertyName("team")] public string? Team { get; init; }
    /// <summary>USD; null = unpriced (never silently 0).</summary>
    [JsonPropertyName("cost_usd")] public decimal? CostUsd { get; init; }
    [JsonPropertyName("usage_estimated")] public bool UsageEstimated { get; init; }
    [JsonPropertyName("attempt_log")] public string? AttemptLog { get; init; }
    /// <summary>The id the client sent in <c>x-request-id</c> / <c>x-client-request-id</c>, if any (<c>request_id</c> is the gateway's).</summary>
    [JsonPropertyName("client_request_id")] public string? ClientRequestId { get; init; }
    /// <summary>The request fields adapted or left out for the upstream (the <c>x-switchboard-adjusted</c> header), if any.</summary>
    [JsonPropertyName("adjusted")] public string? Adjusted { get; init; }
}

/// <summary><c>GET /admin/logs</c> envelope.</summary>
public sealed record RequestLogPage([property: JsonPropertyName("data")] IReadOnlyList<RequestLogEntry> Data);

/// <summary>Health answer.</summary>
public sealed record HealthStatus([property: JsonPropertyName("status")] string Status);

/// <summary>Source-generated JSON for everything the host serializes (no reflection at run time).</summary>
[JsonSerializable(typeof(ModelList))]
[JsonSerializable(typeof(ModelObject))]
[JsonSerializable(typeof(RequestLogPage))]
[JsonSerializable(typeof(HealthStatus))]
public sealed partial class GatewayJsonContext : JsonSerializerContext;
