using Microsoft.Data.Sqlite;
using Npgsql;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>Writes ledger rows in batches; inserting a row whose request id is already stored does nothing.</summary>
public sealed class LedgerRepository(SwitchboardDatabase database)
{
    internal const string Columns =
        "request_id, ts_ms, key_id, key_name, team, endpoint, model, provider, upstream_model, status, error_code, stream, " +
        "prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_reported, usage_estimated, cost_nano_usd, " +
        "attempts, attempt_log, latency_ms, ttft_ms";

    internal const int ColumnCount = 23;

    // The derived columns, defined once for both backends' inserts (SqliteLedgerInsert, PostgresLedgerInsert).
    internal static int UsageReported(UsageRecord r) => r.UsageMissing ? 0 : 1;

    /// <summary>A row's cost is an estimate when the usage was estimated or the upstream reported none.</summary>
    internal static int UsageEstimated(UsageRecord r) => r.CostEstimated || r.UsageMissing ? 1 : 0;

    /// <summary>Largest batch the writer hands over at once.</summary>
    public const int MaxBatch = 500;

    public SwitchboardDatabase Database => database;

    /// <summary>Inserts <paramref name="rows"/> in one transaction (idempotent by request id).</summary>
    public async Task InsertAsync(IReadOnlyList<UsageRecord> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (connection is SqliteConnection sqlite)
        {
            SqliteLedgerInsert.Insert(sqlite, rows);
        }
        else
        {
            for (var start = 0; start < rows.Count; start += MaxBatch)
            {
                await PostgresLedgerInsert.InsertAsync((NpgsqlConnection)connection, (NpgsqlTransaction)tx, rows, start,
                    Math.Min(MaxBatch, rows.Count - start), cancellationToken).ConfigureAwait(false);
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
