using Switchboard.Limits;
using Switchboard.Storage;
using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;

namespace Switchboard.Admin;

/// <summary>
/// Writes to keys and teams and what is read about their budgets, shared by the admin API and the web console: every
/// write goes to the database and then refreshes this process's key cache, so a created key works (and a revoked one
/// is refused) from the next request on; other processes follow within a poll.
/// </summary>
public sealed class KeyAdministration(KeyRepository keys, KeyDirectory directory, UsageQueries usage, LedgerWriter ledger, TimeProvider time)
{
    public KeyRepository Keys => keys;

    public async Task<CreatedKey> CreateKeyAsync(KeySpec spec, CancellationToken cancellationToken)
    {
        var created = await keys.CreateAsync(spec, RecordSource.Api, cancellationToken: cancellationToken).ConfigureAwait(false);
        await directory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return created;
    }

    /// <summary>The key after <paramref name="patch"/>; null when there is no such key.</summary>
    public async Task<KeyRecord?> UpdateKeyAsync(string id, KeyPatch patch, CancellationToken cancellationToken)
    {
        var updated = await keys.UpdateAsync(id, patch, cancellationToken).ConfigureAwait(false);
        if (updated is not null) await directory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return updated;
    }

    /// <summary>The revoked key; null when there is no such key.</summary>
    public async Task<KeyRecord?> RevokeKeyAsync(string id, CancellationToken cancellationToken)
    {
        if (!await keys.RevokeAsync(id, cancellationToken).ConfigureAwait(false)) return null;
        await directory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return await keys.GetAsync(id, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TeamRecord> PutTeamAsync(TeamRecord team, CancellationToken cancellationToken)
    {
        var stored = await keys.PutTeamAsync(team with { Source = RecordSource.Api }, cancellationToken).ConfigureAwait(false);
        await directory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return stored;
    }

    /// <summary>False when there is no such team.</summary>
    public async Task<bool> DeleteTeamAsync(string name, CancellationToken cancellationToken)
    {
        if (!await keys.DeleteTeamAsync(name, cancellationToken).ConfigureAwait(false)) return false;
        await directory.RefreshAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Waits briefly for queued ledger rows, so spend read next includes the requests just answered.</summary>
    public Task FlushLedgerAsync(CancellationToken cancellationToken) => ledger.FlushAsync(TimeSpan.FromSeconds(2), cancellationToken);

    /// <summary>
    /// What a key or team has spent in its current budget period (the same UTC calendar periods the limits enforce;
    /// lifetime sums everything) and what is left of its budget.
    /// </summary>
    public async Task<BudgetSpend> SpendAsync(LimitScope scope, string id, LimitSettings limits, CancellationToken cancellationToken)
    {
        var period = limits.BudgetPeriod;
        DateTimeOffset? since = period == BudgetPeriod.Lifetime ? null : BudgetWindow.At(period, time.GetUtcNow()).Start;
        var spent = await usage.SpentSinceAsync(scope, id, since, cancellationToken).ConfigureAwait(false);
        return new BudgetSpend(spent, since, limits.BudgetUsd);
    }

    /// <summary>"active", "revoked" or "expired" (revocation wins), as the admin API and the console show it.</summary>
    public static string Status(KeyRecord key, DateTimeOffset now) =>
        key.IsRevoked ? "revoked" : key.ExpiresAt is { } e && e <= now ? "expired" : "active";

}

/// <summary>Spend in the current budget period (<see cref="Since"/> null = lifetime) against an optional budget.</summary>
public sealed record BudgetSpend(decimal Spent, DateTimeOffset? Since, decimal? Budget)
{
    /// <summary>What is left of the budget (never below zero); null without a budget.</summary>
    public decimal? Remaining => Budget is { } budget ? Math.Max(0, budget - Spent) : null;
}
