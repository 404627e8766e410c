namespace Switchboard.Limits;

/// <summary>
/// Rate limits and budget of a key or a team (every field optional: null = unlimited). Defined once for every layer:
/// the config file's keys and teams, the stored keys and teams, and the identity a request is checked against.
/// </summary>
/// <param name="Rpm">Requests per minute.</param>
/// <param name="Tpm">Tokens (prompt + completion) per minute.</param>
/// <param name="MaxParallel">Requests in flight at once.</param>
/// <param name="BudgetUsd">Spend cap in USD for the period.</param>
/// <param name="BudgetPeriod">When the budget resets (UTC calendar periods).</param>
public sealed record LimitSettings(int? Rpm = null, int? Tpm = null, int? MaxParallel = null, decimal? BudgetUsd = null,
    BudgetPeriod BudgetPeriod = BudgetPeriod.Lifetime)
{
    /// <summary>No limit and no budget.</summary>
    public static readonly LimitSettings None = new();

    public bool IsUnlimited => Rpm is null && Tpm is null && MaxParallel is null && BudgetUsd is null;

    /// <summary>These settings, or null when they limit nothing (what an identity carries).</summary>
    public LimitSettings? OrNullIfUnlimited => IsUnlimited ? null : this;
}
