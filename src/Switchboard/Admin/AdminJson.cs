using System.Text.Json.Serialization;

namespace Switchboard.Admin;

/// <summary>A key as the admin API shows it: never the secret except <see cref="Key"/> in the creation answer.</summary>
public sealed record AdminKey(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("key_prefix")] string KeyPrefix,
    [property: JsonPropertyName("team")] string? Team,
    [property: JsonPropertyName("models")] IReadOnlyList<string>? Models,
    [property: JsonPropertyName("rpm")] int? Rpm,
    [property: JsonPropertyName("tpm")] int? Tpm,
    [property: JsonPropertyName("max_parallel")] int? MaxParallel,
    [property: JsonPropertyName("budget_usd")] decimal? BudgetUsd,
    [property: JsonPropertyName("budget_period")] string? BudgetPeriod,
    [property: JsonPropertyName("expires_at")] DateTimeOffset? ExpiresAt,
    [property: JsonPropertyName("revoked_at")] DateTimeOffset? RevokedAt,
    [property: JsonPropertyName("created_at")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("source")] string Source)
{
    /// <summary>The secret: only in the answer to <c>POST /admin/keys</c>.</summary>
    [JsonPropertyName("key")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>Spend so far (priced requests, current budget period if any): only in <c>GET /admin/keys/{id}</c>.</summary>
    [JsonPropertyName("spend_usd")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? SpendUsd { get; init; }

    /// <summary>Start of the period <see cref="SpendUsd"/> covers (null = lifetime).</summary>
    [JsonPropertyName("spend_since")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? SpendSince { get; init; }
}

/// <summary>A team as the admin API shows it.</summary>
public sealed record AdminTeam(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("rpm")] int? Rpm,
    [property: JsonPropertyName("tpm")] int? Tpm,
    [property: JsonPropertyName("max_parallel")] int? MaxParallel,
    [property: JsonPropertyName("budget_usd")] decimal? BudgetUsd,
    [property: JsonPropertyName("budget_period")] string? BudgetPeriod,
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("updated_at")] DateTimeOffset UpdatedAt);

/// <summary>List envelope.</summary>
public sealed record AdminList<T>(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("data")] IReadOnlyList<T> Data);

/// <summary>Usage sums (also one group's sums, with <see cref="Group"/> and <see cref="Name"/> set).</summary>
public sealed record AdminUsage(
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
    [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
    [property: JsonPropertyName("cached_tokens")] long CachedTokens,
    [property: JsonPropertyName("reasoning_tokens")] long ReasoningTokens,
    [property: JsonPropertyName("total_tokens")] long TotalTokens,
    [property: JsonPropertyName("cost_usd")] decimal CostUsd,
    [property: JsonPropertyName("unpriced_requests")] long UnpricedRequests,
    [property: JsonPropertyName("failed_requests")] long FailedRequests,
    [property: JsonPropertyName("estimated_requests")] long EstimatedRequests)
{
    [JsonPropertyName("group")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Group { get; init; }

    /// <summary>The key's name when grouped by key.</summary>
    [JsonPropertyName("name")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }
}

/// <summary><c>GET /admin/usage?group_by=...</c>: the groups and their grand total.</summary>
public sealed record AdminUsageGroups(
    [property: JsonPropertyName("object")] string ObjectType,
    [property: JsonPropertyName("group_by")] string GroupBy,
    [property: JsonPropertyName("data")] IReadOnlyList<AdminUsage> Data,
    [property: JsonPropertyName("total")] AdminUsage Total);

/// <summary>Readiness with what is degraded.</summary>
public sealed record ReadyStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("ledger")] string Ledger,
    [property: JsonPropertyName("ledger_pending")] long LedgerPending);

/// <summary>Source-generated JSON for the admin API.</summary>
[JsonSerializable(typeof(AdminKey))]
[JsonSerializable(typeof(AdminList<AdminKey>))]
[JsonSerializable(typeof(AdminTeam))]
[JsonSerializable(typeof(AdminList<AdminTeam>))]
[JsonSerializable(typeof(AdminUsage))]
[JsonSerializable(typeof(AdminUsageGroups))]
[JsonSerializable(typeof(ReadyStatus))]
public sealed partial class AdminJsonContext : JsonSerializerContext;
