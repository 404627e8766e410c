using System.Collections.Frozen;

namespace Switchboard.Auth;

/// <summary>Who is calling: a virtual key's public facts (never its secret).</summary>
public sealed record ClientIdentity
{
    /// <summary>The key's name, or "anonymous" in open mode.</summary>
    public required string Name { get; init; }
    /// <summary>The key's stable id (never its secret); null in open mode.</summary>
    public string? KeyId { get; init; }
    /// <summary>Models this key may use; null = all.</summary>
    public FrozenSet<string>? AllowedModels { get; init; }
    public string? Team { get; init; }
    /// <summary>The key's own limits and budget; null = none.</summary>
    public LimitSettings? Limits { get; init; }
    /// <summary>The team's limits and budget, enforced together with the key's; null = none (or no team).</summary>
    public LimitSettings? TeamLimits { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public bool IsAnonymous { get; init; }

    public static readonly ClientIdentity Anonymous = new() { Name = "anonymous", IsAnonymous = true };

    public bool MayUse(string model) => AllowedModels is null || AllowedModels.Contains(model);
}

/// <summary>Rate limits and budget of a key or a team (every field optional: null = unlimited).</summary>
/// <param name="Rpm">Requests per minute.</param>
/// <param name="Tpm">Tokens (prompt + completion) per minute.</param>
/// <param name="MaxParallel">Requests in flight at once.</param>
/// <param name="BudgetUsd">Spend cap in USD for the period.</param>
/// <param name="BudgetPeriod">null (lifetime), "daily" or "monthly" (UTC calendar periods).</param>
public sealed record LimitSettings(int? Rpm, int? Tpm, int? MaxParallel, decimal? BudgetUsd, string? BudgetPeriod)
{
    public bool IsUnlimited => Rpm is null && Tpm is null && MaxParallel is null && BudgetUsd is null;
}
