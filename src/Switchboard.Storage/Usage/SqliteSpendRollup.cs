using System.Data.Common;
using System.Globalization;
using SQLitePCL;
using Switchboard.Limits;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// SQLite's spend roll-up, <c>usage_spend(scope, id, day, cost_nano_usd)</c> (migration 002): the priced cost of every
/// ledger row, summed per key and per team and per UTC day. Budgets read it (<see cref="Limits.LedgerSpendSource"/>, the
/// admin key view) instead of summing the ledger, so the ledger keeps no per-key or per-team index: each ledger row then
/// updates two B-trees (the table and its request-id index) plus the time index, and a batch updates one roll-up row per
/// key or team and day, not one index entry per request. Budget periods are UTC days or months or lifetime, so they
/// always start on a day boundary and a day bucket answers them exactly.
/// </summary>
internal static class SqliteSpendRollup
{
    private const string KeyScope = "key";
    private const string TeamScope = "team";

    private const long MsPerDay = 86_400_000;

    private const string UpsertSql =
        "INSERT INTO usage_spend (scope, id, day, cost_nano_usd) VALUES (?, ?, ?, ?) " +
        "ON CONFLICT (scope, id, day) DO UPDATE SET cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd";

    /// <summary>Whole UTC days since the Unix epoch: the same day number as <c>ts_ms / 86400000</c> in SQL.</summary>
    internal static long Day(long unixMs) => unixMs / MsPerDay;

    /// <summary>True when <paramref name="at"/> is a UTC midnight, where a day bucket starts.</summary>
    internal static bool IsDayStart(DateTimeOffset at) => at.ToUnixTimeMilliseconds() % MsPerDay == 0;

    /// <summary>One batch's priced cost per key or team and day, summed in memory before it is written.</summary>
    internal sealed class Batch
    {
        // Few distinct keys per batch (often one): a dictionary of a handful of entries, one allocation per batch.
        private readonly Dictionary<(string Scope, string Id, long Day), long> _sums = [];

        // The concrete type, so Write's foreach uses the struct enumerator (no allocation).
        internal Dictionary<(string Scope, string Id, long Day), long> Sums => _sums;

        /// <summary>Counts <paramref name="row"/>'s cost for its key and its team (unpriced or free rows add nothing).</summary>
        public void Add(UsageRecord row)
        {
            if (Money.ToNano(row.CostUsd) is not { } nano || nano == 0) return;
            var day = Day(row.Timestamp.ToUnixTimeMilliseconds());
            if (row.KeyId is { } key) Accumulate((KeyScope, key, day), nano);
            if (row.Team is { } team) Accumulate((TeamScope, team, day), nano);
        }

        private void Accumulate((string, string, long) bucket, long nano) =>
            _sums[bucket] = _sums.TryGetValue(bucket, out var sum) ? sum + nano : nano;
    }

    /// <summary>
    /// The priced cost recorded for a key or team since <paramref name="since"/> (null = ever), in nano-USD.
    /// <paramref name="since"/> must be a UTC midnight (<see cref="IsDayStart"/>); callers with any other time sum the
    /// ledger instead (<see cref="UsageQueries.SpentSinceAsync"/> chooses).
    /// </summary>
    public static async Task<long> SpentSinceAsync(DbConnection connection, LimitScope scope, string id, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        if (since is { } start && !IsDayStart(start)) throw new ArgumentException("the spend roll-up starts only at a UTC midnight", nameof(since));
        await using var command = SwitchboardDatabase.Command(connection,
            "SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_spend WHERE scope = @scope AND id = @id AND day >= @day")
            .With("@scope", scope == LimitScope.Key ? KeyScope : TeamScope).With("@id", id).With("@day", since is { } s ? Day(s.ToUnixTimeMilliseconds()) : long.MinValue);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Adds <paramref name="batch"/> to the roll-up inside the caller's open transaction.</summary>
    public static void Write(sqlite3 db, Batch batch)
    {
        if (batch.Sums.Count == 0) return;
        using var statement = SqliteLedgerInsert.Prepare(db, UpsertSql);
        foreach (var ((scope, id, day), nano) in batch.Sums)
        {
            raw.sqlite3_bind_text(statement, 1, scope);
            raw.sqlite3_bind_text(statement, 2, id);
            raw.sqlite3_bind_int64(statement, 3, day);
            raw.sqlite3_bind_int64(statement, 4, nano);
            SqliteLedgerInsert.Run(db, statement);
        }
    }
}
