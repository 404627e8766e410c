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
        "attempts, attempt_log, latency_ms, ttft_ms, client_request_id, adjusted";

    internal const int ColumnCount = 25;

    // The derived columns, defined once for both backends' inserts (SqliteLedgerInsert, PostgresLedgerInsert).
    internal static int UsageReported(UsageRecord r) => r.UsageMissing ? 0 : 1;

    /// <summary>A row's cost is an estimate when the usage was estimated or the upstream reported none.</summary>
    internal static int UsageEstimated(UsageRecord r) => r.CostEstimated || r.UsageMissing ? 1 : 0;

    /// <summary>
    /// <paramref name="r"/> as its text columns are stored (<see cref="StoredText.Clean"/>): the same instance when
    /// nothing needs replacing (the usual case, no allocation), else a copy. Both backends' inserts and SQLite's spend
    /// roll-up use this copy, so the roll-up's key and team match the ledger's.
    /// </summary>
    internal static UsageRecord ForStorage(UsageRecord r)
    {
        if (StoredText.IsStorable(r.RequestId) && Storable(r.ClientRequestId) && Storable(r.KeyId) && Storable(r.KeyName)
            && Storable(r.Team) && StoredText.IsStorable(r.Endpoint) && StoredText.IsStorable(r.Model) && Storable(r.Provider)
            && Storable(r.UpstreamModel) && Storable(r.ErrorCode) && Storable(r.AttemptLog) && Storable(r.Adjusted))
        {
            return r;
        }
        return r with
        {
            RequestId = StoredText.Clean(r.RequestId)!,
            ClientRequestId = StoredText.Clean(r.ClientRequestId),
            KeyId = StoredText.Clean(r.KeyId),
            KeyName = StoredText.Clean(r.KeyName),
            Team = StoredText.Clean(r.Team),
            Endpoint = StoredText.Clean(r.Endpoint)!,
            Model = StoredText.Clean(r.Model)!,
            Provider = StoredText.Clean(r.Provider),
            UpstreamModel = StoredText.Clean(r.UpstreamModel),
            ErrorCode = StoredText.Clean(r.ErrorCode),
            AttemptLog = StoredText.Clean(r.AttemptLog),
            Adjusted = StoredText.Clean(r.Adjusted),
        };
    }

    private static bool Storable(string? value) => value is null || StoredText.IsStorable(value);

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
