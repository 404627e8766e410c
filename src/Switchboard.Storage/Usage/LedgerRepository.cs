using System.Data.Common;
using System.Text;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>Writes ledger rows in batches; inserting a row whose request id is already stored does nothing.</summary>
public sealed class LedgerRepository(SwitchboardDatabase database)
{
    internal const string Columns =
        "request_id, ts_ms, key_id, key_name, team, endpoint, model, provider, upstream_model, status, error_code, stream, " +
        "prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_reported, usage_estimated, cost_nano_usd, " +
        "attempts, attempt_log, latency_ms, ttft_ms";

    private const int ColumnCount = 23;

    /// <summary>Largest batch per statement (23 parameters a row stays under both engines' parameter limits).</summary>
    public const int MaxBatch = 500;

    public SwitchboardDatabase Database => database;

    /// <summary>Inserts <paramref name="rows"/> in one transaction (idempotent by request id).</summary>
    public async Task InsertAsync(IReadOnlyList<UsageRecord> rows, CancellationToken cancellationToken = default)
    {
        if (rows.Count == 0) return;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!database.IsPostgres)
        {
            await InsertOneByOneAsync(connection, tx, rows, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        for (var start = 0; start < rows.Count; start += MaxBatch)
        {
            var count = Math.Min(MaxBatch, rows.Count - start);
            await using var command = BuildInsert(connection, tx, rows, start, count);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// SQLite runs in-process, so one prepared single-row statement per row inside the transaction is the fast path
    /// (a 500-row VALUES list with 11 500 named parameters costs seconds in parameter lookup).
    /// </summary>
    private static async Task InsertOneByOneAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<UsageRecord> rows, CancellationToken cancellationToken)
    {
        var names = new string[ColumnCount];
        for (var c = 0; c < ColumnCount; c++) names[c] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@c{c}");
        await using var command = SwitchboardDatabase.Command(connection,
            $"INSERT INTO usage_ledger ({Columns}) VALUES ({string.Join(',', names)}) ON CONFLICT (request_id) DO NOTHING", tx);
        foreach (var name in names) command.With(name, null);
        foreach (var row in rows)
        {
            var values = Values(row);
            for (var c = 0; c < ColumnCount; c++) command.Parameters[c].Value = values[c] ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static object?[] Values(UsageRecord r) =>
    [
        r.RequestId, r.Timestamp.ToUnixTimeMilliseconds(), r.KeyId, r.KeyName, r.Team, r.Endpoint, r.Model, r.Provider,
        r.UpstreamModel, r.Status, r.ErrorCode, r.Stream ? 1 : 0, r.Usage.PromptTokens, r.Usage.CompletionTokens,
        r.Usage.CachedPromptTokens, r.Usage.ReasoningTokens, r.UsageMissing ? 0 : 1, r.CostEstimated || r.UsageMissing ? 1 : 0,
        Money.ToNano(r.CostUsd), r.Attempts, r.AttemptLog, r.LatencyMs, r.TimeToFirstTokenMs,
    ];

    private static DbCommand BuildInsert(DbConnection connection, DbTransaction tx, IReadOnlyList<UsageRecord> rows, int start, int count)
    {
        var sql = new StringBuilder(128 + count * ColumnCount * 8);
        sql.Append("INSERT INTO usage_ledger (").Append(Columns).Append(") VALUES ");
        var command = SwitchboardDatabase.Command(connection, "", tx);
        for (var i = 0; i < count; i++)
        {
            var r = rows[start + i];
            if (i > 0) sql.Append(',');
            sql.Append('(');
            for (var c = 0; c < ColumnCount; c++)
            {
                if (c > 0) sql.Append(',');
                sql.Append("@p").Append(i).Append('_').Append(c);
            }
            sql.Append(')');
            var values = Values(r);
            for (var c = 0; c < ColumnCount; c++)
            {
                command.With(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"@p{i}_{c}"), values[c]);
            }
        }
        sql.Append(" ON CONFLICT (request_id) DO NOTHING");
        command.CommandText = sql.ToString();
        return command;
    }
}
