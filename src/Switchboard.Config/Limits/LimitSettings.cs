namespace Switchboard.Limits;

/// <summary>Rate limits and budget of a key or a team (every field optional: null = unlimited).</summary>
/// <param name="Rpm">Requests per minute.</param>
/// <param name="Tpm">Tokens (prompt + completion) per minute.</param>
/// <param name="MaxParallel">Requests in flight at once.</param>
/// <param name="BudgetUsd">Spend cap in USD for the period.</param>
/// <param name="BudgetPeriod">When the budget resets (UTC calendar periods).</param>
public sealed record LimitSettings(int? Rpm, int? Tpm, int? MaxParallel, decimal? BudgetUsd, BudgetPeriod BudgetPeriod)
{
    public bool IsUnlimited => Rpm is null && Tpm is null && MaxParallel is null && BudgetUsd is null;
}
