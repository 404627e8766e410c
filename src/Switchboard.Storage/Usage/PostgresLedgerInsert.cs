using Npgsql;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

/// <summary>
/// The PostgreSQL ledger insert: one statement per batch that takes each column as an array and unnests them,
/// <c>INSERT … SELECT * FROM unnest($1::text[], …) ON CONFLICT (request_id) DO NOTHING</c>.
/// <para>
/// Why: the statement text and its 25 parameters are the same whatever the batch size, so it is prepared once per
/// physical connection and each batch is one round trip with 25 typed arrays (no boxing, no per-row parameters; a
/// <c>VALUES</c> list with named parameters per row would be a new statement for every batch size). ON CONFLICT DO
/// NOTHING also skips a request id repeated within one batch. Not binary COPY: it cannot skip duplicates by itself (it
/// would need a staging table and a second statement).
/// </para>
/// <para>
/// The same statement keeps the hourly roll-up (migration 005): the insert RETURNs only the rows it really added (not
/// those whose request id was already stored), and they are summed per UTC hour × key id × team × model × provider
/// and upserted into <c>usage_hourly</c> (and per day into <c>usage_daily</c>), so a retried batch adds nothing twice and the roll-up costs no round trip.
/// The groups are upserted in key order, so two replicas writing the same hour lock its rows in the same order.
/// </para>
/// </summary>
internal static class PostgresLedgerInsert
{
    private static readonly string Sql =
        "WITH inserted AS (INSERT INTO usage_ledger (" + LedgerRepository.Columns + ") SELECT * FROM unnest(" +
        "$1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], " +
        "$10::integer[], $11::text[], $12::integer[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], " +
        "$17::integer[], $18::integer[], $19::bigint[], $20::integer[], $21::text[], $22::double precision[], " +
        "$23::double precision[], $24::text[], $25::text[]) ON CONFLICT (request_id) DO NOTHING RETURNING " + RollupSql.Returned + "), " +
        "hourly AS (" + RollupSql.Upsert("usage_hourly", "hour", 3_600_000) + " RETURNING 1) " +
        RollupSql.Upsert("usage_daily", "day", 86_400_000);

    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyList<UsageRecord> rows,
        int start, int count, CancellationToken cancellationToken)
    {
        var requestId = new string[count];
        var ts = new long[count];
        var keyId = new string?[count];
        var keyName = new string?[count];
        var team = new string?[count];
        var endpoint = new string[count];
        var model = new string[count];
        var provider = new string?[count];
        var upstreamModel = new string?[count];
        var status = new int[count];
        var errorCode = new string?[count];
        var stream = new int[count];
        var prompt = new long[count];
        var completion = new long[count];
        var cached = new long[count];
        var reasoning = new long[count];
        var usageReported = new int[count];
        var usageEstimated = new int[count];
        var cost = new long?[count];
        var attempts = new int[count];
        var attemptLog = new string?[count];
        var latency = new double[count];
        var ttft = new double?[count];
        var clientRequestId = new string?[count];
        var adjusted = new string?[count];
        for (var i = 0; i < count; i++)
        {
            var r = LedgerRepository.ForStorage(rows[start + i]);
            requestId[i] = r.RequestId;
            ts[i] = r.Timestamp.ToUnixTimeMilliseconds();
            keyId[i] = r.KeyId;
            keyName[i] = r.KeyName;
            team[i] = r.Team;
            endpoint[i] = r.Endpoint;
            model[i] = r.Model;
            provider[i] = r.Provider;
            upstreamModel[i] = r.UpstreamModel;
            status[i] = r.Status;
            errorCode[i] = r.ErrorCode;
            stream[i] = r.Stream ? 1 : 0;
            prompt[i] = r.Usage.PromptTokens;
            completion[i] = r.Usage.CompletionTokens;
            cached[i] = r.Usage.CachedPromptTokens;
            reasoning[i] = r.Usage.ReasoningTokens;
            usageReported[i] = LedgerRepository.UsageReported(r);
            usageEstimated[i] = LedgerRepository.UsageEstimated(r);
            cost[i] = Money.ToNano(r.CostUsd);
            attempts[i] = r.Attempts;
            attemptLog[i] = r.AttemptLog;
            latency[i] = r.LatencyMs;
            ttft[i] = r.TimeToFirstTokenMs;
            clientRequestId[i] = r.ClientRequestId;
            adjusted[i] = r.Adjusted;
        }
        await using var command = new NpgsqlCommand(Sql, connection, tx);
        var p = command.Parameters;
        p.Add(new NpgsqlParameter<string[]> { TypedValue = requestId });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = ts });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = keyId });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = keyName });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = team });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = endpoint });
        p.Add(new NpgsqlParameter<string[]> { TypedValue = model });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = provider });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = upstreamModel });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = status });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = errorCode });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = stream });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = prompt });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = completion });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = cached });
        p.Add(new NpgsqlParameter<long[]> { TypedValue = reasoning });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = usageReported });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = usageEstimated });
        p.Add(new NpgsqlParameter<long?[]> { TypedValue = cost });
        p.Add(new NpgsqlParameter<int[]> { TypedValue = attempts });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = attemptLog });
        p.Add(new NpgsqlParameter<double[]> { TypedValue = latency });
        p.Add(new NpgsqlParameter<double?[]> { TypedValue = ttft });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = clientRequestId });
        p.Add(new NpgsqlParameter<string?[]> { TypedValue = adjusted });
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The roll-up half of <see cref="Sql"/>.</summary>
    private static class RollupSql
    {
        public const string Returned =
            "ts_ms, key_id, key_name, team, model, provider, status, prompt_tokens, completion_tokens, cached_tokens, " +
            "reasoning_tokens, cost_nano_usd, usage_estimated, latency_ms, ttft_ms";

        public static string Upsert(string table, string bucket, long bucketMs) =>
            $"INSERT INTO {table} ({bucket}, key_id, team, model, provider, key_name, requests, failed, prompt_tokens, " +
            "completion_tokens, cached_tokens, reasoning_tokens, cost_nano_usd, unpriced, estimated, latency_ms_sum, ttft_ms_sum, ttft_count) " +
            $"SELECT ts_ms / {bucketMs}, {RollupKey.Sql("COALESCE(key_id, '')")}, {RollupKey.Sql("COALESCE(team, '')")}, {RollupKey.Sql("model")}, " +
            $"{RollupKey.Sql("COALESCE(provider, '')")}, MAX(key_name), COUNT(*), " +
            "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), " +
            "SUM(reasoning_tokens), COALESCE(SUM(cost_nano_usd), 0), SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END), " +
            "SUM(usage_estimated), SUM(latency_ms), COALESCE(SUM(ttft_ms), 0), COUNT(ttft_ms) FROM inserted " +
            "GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 " +
            $"ON CONFLICT ({bucket}, key_id, team, model, provider) DO UPDATE SET " +
            // GREATEST ignores NULLs and uses the database's collation, as the ledger's MAX(key_name) does.
            $"key_name = GREATEST({table}.key_name, excluded.key_name), " +
            $"requests = {table}.requests + excluded.requests, failed = {table}.failed + excluded.failed, " +
            $"prompt_tokens = {table}.prompt_tokens + excluded.prompt_tokens, " +
            $"completion_tokens = {table}.completion_tokens + excluded.completion_tokens, " +
            $"cached_tokens = {table}.cached_tokens + excluded.cached_tokens, " +
            $"reasoning_tokens = {table}.reasoning_tokens + excluded.reasoning_tokens, " +
            $"cost_nano_usd = {table}.cost_nano_usd + excluded.cost_nano_usd, unpriced = {table}.unpriced + excluded.unpriced, " +
            $"estimated = {table}.estimated + excluded.estimated, latency_ms_sum = {table}.latency_ms_sum + excluded.latency_ms_sum, " +
            $"ttft_ms_sum = {table}.ttft_ms_sum + excluded.ttft_ms_sum, ttft_count = {table}.ttft_count + excluded.ttft_count";
    }
}
