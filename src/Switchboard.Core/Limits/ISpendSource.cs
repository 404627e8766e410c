namespace Switchboard.Limits;

/// <summary>Whose budget: a virtual key's or a team's.</summary>
public enum LimitScope
{
    Key,
    Team,
}

/// <summary>
/// Where a budget's spend so far comes from when a process first sees the key or team: the usage ledger (or a spend
/// table) of the storage backend, so spend survives restarts. Read once per subject and budget period, never per request.
/// </summary>
public interface ISpendSource
{
    /// <summary>USD spent by the key or team since <paramref name="since"/> (priced ledger rows).</summary>
    ValueTask<decimal> SpentSinceAsync(LimitScope scope, string id, DateTimeOffset since, CancellationToken cancellationToken);
}

/// <summary>No storage: every budget starts at zero when the process starts.</summary>
public sealed class NoRecordedSpend : ISpendSource
{
    public ValueTask<decimal> SpentSinceAsync(LimitScope scope, string id, DateTimeOffset since, CancellationToken cancellationToken) =>
        ValueTask.FromResult(0m);
}
