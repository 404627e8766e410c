using SQLitePCL;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// Keeps SQLite's usage roll-ups, <c>usage_hourly</c> and <c>usage_daily</c> (migration 005), as the ledger writer
/// inserts a batch: the batch's new rows are summed in memory per UTC hour (and day) × key id × team × model ×
/// provider, then each group is one upsert, in the transaction of the batch. PostgreSQL keeps the same table in its insert statement
/// (<see cref="PostgresLedgerInsert"/>). Usage queries read it instead of the ledger (<see cref="UsageQueries"/>).
/// </summary>
internal static class SqliteUsageRollup
{
    internal const long MsPerHour = 3_600_000;
    internal const long MsPerDay = 86_400_000;

    private static readonly string HourlyUpsert = BuildUpsert("usage_hourly", "hour");
    private static readonly string DailyUpsert = BuildUpsert("usage_daily", "day");

    private static string BuildUpsert(string table, string bucket) =>
        $"INSERT INTO {table} ({bucket}, key_id, team, model, provider, key_name, requests, failed, prompt_tokens, completion_tokens, " +
        "cached_tokens, reasoning_tokens, cost_nano_usd, unpriced, estimated, latency_ms_sum, ttft_ms_sum, ttft_count) " +
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) " +
        $"ON CONFLICT ({bucket}, key_id, team, model, provider) DO UPDATE SET " +
        // MAX(key_name) as the ledger's GROUP BY reports it: NULLs ignored, BINARY order (UTF-8 bytes, see Utf8Order).
        "key_name = CASE WHEN key_name IS NULL OR excluded.key_name > key_name THEN excluded.key_name ELSE key_name END, " +
        "requests = requests + excluded.requests, failed = failed + excluded.failed, " +
        "prompt_tokens = prompt_tokens + excluded.prompt_tokens, completion_tokens = completion_tokens + excluded.completion_tokens, " +
        "cached_tokens = cached_tokens + excluded.cached_tokens, reasoning_tokens = reasoning_tokens + excluded.reasoning_tokens, " +
        "cost_nano_usd = cost_nano_usd + excluded.cost_nano_usd, unpriced = unpriced + excluded.unpriced, " +
        "estimated = estimated + excluded.estimated, latency_ms_sum = latency_ms_sum + excluded.latency_ms_sum, " +
        "ttft_ms_sum = ttft_ms_sum + excluded.ttft_ms_sum, ttft_count = ttft_count + excluded.ttft_count";

    /// <summary>The roll-up's group of a stored row (its hour or day); absent key id, team and provider are ''.</summary>
    internal readonly record struct Group(long Bucket, string KeyId, string Team, string Model, string Provider);

    /// <summary>One group's sums.</summary>
    internal sealed class Sums
    {
        public string? KeyName;
        public long Requests, Failed, Prompt, Completion, Cached, Reasoning, CostNano, Unpriced, Estimated, TtftCount;
        public double LatencySum, TtftSum;
    }

    /// <summary>One batch's new rows, summed per group of one roll-up before they are written.</summary>
    internal sealed class Batch(long bucketMs)
    {
        private readonly Dictionary<Group, Sums> _groups = [];

        /// <summary>A batch for <c>usage_hourly</c>.</summary>
        public static Batch Hourly() => new(MsPerHour);

        /// <summary>A batch for <c>usage_daily</c>.</summary>
        public static Batch Daily() => new(MsPerDay);

        internal string UpsertSql => bucketMs == MsPerHour ? HourlyUpsert : DailyUpsert;

        internal Dictionary<Group, Sums> Groups => _groups;

        /// <summary>Counts <paramref name="row"/> (as stored: <see cref="LedgerRepository.ForStorage"/>).</summary>
        public void Add(UsageRecord row)
        {
            var group = new Group(row.Timestamp.ToUnixTimeMilliseconds() / bucketMs, RollupKey.Clamp(row.KeyId ?? ""), RollupKey.Clamp(row.Team ?? ""),
                RollupKey.Clamp(row.Model), RollupKey.Clamp(row.Provider ?? ""));
            if (!_groups.TryGetValue(group, out var s)) _groups[group] = s = new Sums();
            if (row.KeyName is { } name && (s.KeyName is null || Utf8Order.Compare(name, s.KeyName) > 0)) s.KeyName = name;
            s.Requests++;
            if (row.Status >= 400) s.Failed++;
            s.Prompt += row.Usage.PromptTokens;
            s.Completion += row.Usage.CompletionTokens;
            s.Cached += row.Usage.CachedPromptTokens;
            s.Reasoning += row.Usage.ReasoningTokens;
            if (Money.ToNano(row.CostUsd) is { } nano) s.CostNano += nano; else s.Unpriced++;
            s.Estimated += LedgerRepository.UsageEstimated(row);
            s.LatencySum += row.LatencyMs;
            if (row.TimeToFirstTokenMs is { } ttft)
            {
                s.TtftSum += ttft;
                s.TtftCount++;
            }
        }
    }

    /// <summary>Adds <paramref name="batch"/> to the roll-up inside the caller's open transaction.</summary>
    public static void Write(sqlite3 db, Batch batch)
    {
        if (batch.Groups.Count == 0) return;
        using var statement = SqliteLedgerInsert.Prepare(db, batch.UpsertSql);
        foreach (var (g, s) in batch.Groups)
        {
            raw.sqlite3_bind_int64(statement, 1, g.Bucket);
            raw.sqlite3_bind_text(statement, 2, g.KeyId);
            raw.sqlite3_bind_text(statement, 3, g.Team);
            raw.sqlite3_bind_text(statement, 4, g.Model);
            raw.sqlite3_bind_text(statement, 5, g.Provider);
            if (s.KeyName is null) raw.sqlite3_bind_null(statement, 6); else raw.sqlite3_bind_text(statement, 6, s.KeyName);
            var at = 7;
            foreach (var sum in (ReadOnlySpan<long>)[s.Requests, s.Failed, s.Prompt, s.Completion, s.Cached, s.Reasoning, s.CostNano, s.Unpriced, s.Estimated])
            {
                raw.sqlite3_bind_int64(statement, at++, sum);
            }
            raw.sqlite3_bind_double(statement, 16, s.LatencySum);
            raw.sqlite3_bind_double(statement, 17, s.TtftSum);
            raw.sqlite3_bind_int64(statement, 18, s.TtftCount);
            SqliteLedgerInsert.Run(db, statement);
        }
    }

    /// <summary>
    /// SQLite's BINARY text order, which compares UTF-8 bytes: code point order. <see cref="string.CompareOrdinal(string, string)"/>
    /// compares UTF-16 units, which puts a supplementary character (a surrogate pair) before U+E000–U+FFFF.
    /// </summary>
    internal static class Utf8Order
    {
        public static int Compare(string a, string b)
        {
            var n = Math.Min(a.Length, b.Length);
            for (var i = 0; i < n; i++)
            {
                if (a[i] != b[i]) return Weight(a[i]).CompareTo(Weight(b[i]));
            }
            return a.Length.CompareTo(b.Length);
        }

        // Surrogates (halves of characters above U+FFFF) after every other UTF-16 unit, as their UTF-8 bytes are.
        private static int Weight(char c) => char.IsSurrogate(c) ? c + 0x10000 : c;
    }
}
