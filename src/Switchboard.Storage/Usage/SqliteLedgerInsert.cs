using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// The SQLite ledger insert: one prepared single-row <c>INSERT … ON CONFLICT (request_id) DO NOTHING</c> per batch,
/// executed once per row with the values bound by position through the native handle.
/// <para>
/// Why not <see cref="SqliteCommand"/>: it binds every parameter by name on every execution
/// (<c>sqlite3_bind_parameter_index</c>, a linear scan of the statement's names), 25 scans of 25 names per row; by
/// position each value is one native call. One row per execution rather than a multi-row <c>VALUES</c> list: SQLite
/// runs a multi-row VALUES as a co-routine, and a statement sized to the batch would have to be prepared per batch.
/// </para>
/// <para>
/// The same transaction adds the batch's priced cost to the spend roll-up (<see cref="SqliteSpendRollup"/>) and its
/// usage to the hourly and daily roll-ups (<see cref="SqliteUsageRollup"/>), counting
/// only the rows this batch really inserted (<c>sqlite3_changes</c> after each step), so a batch retried after an
/// outage, or a request id seen twice, adds nothing twice. Budgets read the roll-up instead of the ledger, which is why
/// the ledger needs no per-key or per-team index (migration 002).
/// </para>
/// </summary>
internal static class SqliteLedgerInsert
{
    private const int SqliteDone = 101;

    private static readonly string InsertSql = BuildInsertSql();

    /// <summary>Inserts <paramref name="rows"/> on <paramref name="connection"/>, inside the caller's open transaction.</summary>
    public static void Insert(SqliteConnection connection, IReadOnlyList<UsageRecord> rows)
    {
        var db = connection.Handle!;
        var spend = new SqliteSpendRollup.Batch();
        var hourly = SqliteUsageRollup.Batch.Hourly();
        var daily = SqliteUsageRollup.Batch.Daily();
        using (var statement = Prepare(db, InsertSql))
        {
            foreach (var given in rows)
            {
                var row = LedgerRepository.ForStorage(given);
                Bind(statement, row);
                Run(db, statement);
                // 1 = inserted, 0 = the request id was already stored (DO NOTHING): only new rows count in the roll-ups.
                if (raw.sqlite3_changes(db) != 1) continue;
                spend.Add(row);
                hourly.Add(row);
                daily.Add(row);
            }
        }
        SqliteSpendRollup.Write(db, spend);
        SqliteUsageRollup.Write(db, hourly);
        SqliteUsageRollup.Write(db, daily);
    }

    private static string BuildInsertSql()
    {
        var sql = new StringBuilder(512);
        sql.Append("INSERT INTO usage_ledger (").Append(LedgerRepository.Columns).Append(") VALUES (");
        for (var c = 0; c < LedgerRepository.ColumnCount; c++) sql.Append(c == 0 ? "?" : ",?");
        return sql.Append(") ON CONFLICT (request_id) DO NOTHING").ToString();
    }

    /// <summary>Prepares <paramref name="sql"/> on the native handle (the caller disposes the statement).</summary>
    internal static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }
        return stmt ?? throw new InvalidOperationException("SQLite returned no statement for: " + sql);
    }

    internal static void Run(sqlite3 db, sqlite3_stmt stmt)
    {
        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        if (rc != SqliteDone) SqliteException.ThrowExceptionForRC(rc, db);
    }

    /// <summary>Binds one row's 25 values at parameters 1 … 25, in the order of <see cref="LedgerRepository.Columns"/>.</summary>
    private static void Bind(sqlite3_stmt s, UsageRecord r)
    {
        var p = 1;
        Text(s, p++, r.RequestId);
        raw.sqlite3_bind_int64(s, p++, r.Timestamp.ToUnixTimeMilliseconds());
        Text(s, p++, r.KeyId);
        Text(s, p++, r.KeyName);
        Text(s, p++, r.Team);
        Text(s, p++, r.Endpoint);
        Text(s, p++, r.Model);
        Text(s, p++, r.Provider);
        Text(s, p++, r.UpstreamModel);
        raw.sqlite3_bind_int64(s, p++, r.Status);
        Text(s, p++, r.ErrorCode);
        raw.sqlite3_bind_int64(s, p++, r.Stream ? 1 : 0);
        raw.sqlite3_bind_int64(s, p++, r.Usage.PromptTokens);
        raw.sqlite3_bind_int64(s, p++, r.Usage.CompletionTokens);
        raw.sqlite3_bind_int64(s, p++, r.Usage.CachedPromptTokens);
        raw.sqlite3_bind_int64(s, p++, r.Usage.ReasoningTokens);
        raw.sqlite3_bind_int64(s, p++, LedgerRepository.UsageReported(r));
        raw.sqlite3_bind_int64(s, p++, LedgerRepository.UsageEstimated(r));
        if (Money.ToNano(r.CostUsd) is { } nano) raw.sqlite3_bind_int64(s, p++, nano); else raw.sqlite3_bind_null(s, p++);
        raw.sqlite3_bind_int64(s, p++, r.Attempts);
        Text(s, p++, r.AttemptLog);
        raw.sqlite3_bind_double(s, p++, r.LatencyMs);
        if (r.TimeToFirstTokenMs is { } ttft) raw.sqlite3_bind_double(s, p++, ttft); else raw.sqlite3_bind_null(s, p++);
        Text(s, p++, r.ClientRequestId);
        Text(s, p, r.Adjusted);
    }

    private static void Text(sqlite3_stmt s, int index, string? value)
    {
        if (value is null) raw.sqlite3_bind_null(s, index);
        else raw.sqlite3_bind_text(s, index, value);
    }
}
