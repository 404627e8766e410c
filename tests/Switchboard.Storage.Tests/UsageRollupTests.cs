using System.Globalization;
using System.Text.Json;
using Switchboard.Storage.Migrations;
using Switchboard.Usage;

namespace Switchboard.Storage.Tests;

/// <summary>
/// The hourly and daily usage roll-ups (migration 005): kept by the ledger writer in the batch's transaction, counting only rows
/// the insert really added, and read by the usage queries instead of the ledger. Every answer must equal the ledger's.
/// </summary>
public sealed class UsageRollupTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 14, 12, 0, 0, TimeSpan.Zero);

    // What a roll-up must hold: the ledger summed per hour (or day) × key × team × model × provider, in a stable order.
    private static string FromLedger(long bucketMs) =>
        $"SELECT ts_ms / {bucketMs}, COALESCE(key_id, ''), COALESCE(team, ''), model, COALESCE(provider, ''), MAX(key_name), COUNT(*), " +
        "SUM(CASE WHEN status >= 400 THEN 1 ELSE 0 END), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), " +
        "SUM(reasoning_tokens), COALESCE(SUM(cost_nano_usd), 0), SUM(CASE WHEN cost_nano_usd IS NULL THEN 1 ELSE 0 END), " +
        "SUM(usage_estimated), ROUND(SUM(latency_ms)), ROUND(COALESCE(SUM(ttft_ms), 0)), COUNT(ttft_ms) FROM usage_ledger " +
        $"GROUP BY ts_ms / {bucketMs}, COALESCE(key_id, ''), COALESCE(team, ''), model, COALESCE(provider, '') ORDER BY 1, 2, 3, 4, 5";

    private static string Stored(string table, string bucket) =>
        $"SELECT {bucket}, key_id, team, model, provider, key_name, requests, failed, prompt_tokens, completion_tokens, cached_tokens, " +
        $"reasoning_tokens, cost_nano_usd, unpriced, estimated, ROUND(latency_ms_sum), ROUND(ttft_ms_sum), ttft_count FROM {table} ORDER BY 1, 2, 3, 4, 5";

    private static async Task<List<string>> LinesAsync(SwitchboardDatabase db, string sql)
    {
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection, sql);
        await using var r = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await r.ReadAsync())
        {
            var values = new object[r.FieldCount];
            r.GetValues(values);
            lines.Add(string.Join('|', values.Select(v => v is DBNull ? "null" : Convert.ToString(v is double d ? (long)d : v, CultureInfo.InvariantCulture))));
        }
        return lines;
    }

    /// <summary>Both roll-ups hold exactly the ledger's sums (and are not empty).</summary>
    private static async Task AssertRollupMatchesLedgerAsync(SwitchboardDatabase db)
    {
        var hourly = await LinesAsync(db, FromLedger(3_600_000));
        Assert.NotEmpty(hourly);
        Assert.Equal(hourly, await LinesAsync(db, Stored("usage_hourly", "hour")));
        Assert.Equal(await LinesAsync(db, FromLedger(86_400_000)), await LinesAsync(db, Stored("usage_daily", "day")));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_batch_retried_after_an_outage_counts_once_in_the_rollup(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        List<UsageRecord> batch =
        [
            LedgerTests.Row(1, at: Noon.AddMinutes(1)),
            LedgerTests.Row(2, at: Noon.AddMinutes(2), status: 502, cost: null),
            LedgerTests.Row(3, key: null, team: null, at: Noon.AddMinutes(59)),
            LedgerTests.Row(4, at: Noon.AddMinutes(61), model: "claude") with { Provider = null },
        ];

        await repo.InsertAsync(batch);
        // The writer retries a batch whose commit it could not confirm: every row again, one new row, one row twice.
        await repo.InsertAsync([.. batch, LedgerTests.Row(5, at: Noon.AddMinutes(3)), batch[0]]);

        await AssertRollupMatchesLedgerAsync(db);
        var totals = await new UsageQueries(db).TotalsAsync(new UsageFilter { From = Noon, To = Noon.AddHours(2) });
        Assert.Equal((5L, 1L, 1L), (totals.Requests, totals.FailedRequests, totals.UnpricedRequests));
    }

    /// <summary>
    /// A client may send any model name, and a refused request is recorded with it: a 10,000-character one made
    /// PostgreSQL refuse the roll-up's index entry, which failed every batch and stopped the ledger (found by the fuzz
    /// test on PostgreSQL). The roll-up keeps the name cut to 128 characters; the ledger keeps it whole.
    /// </summary>
    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_giant_model_name_is_stored_and_rolled_up_without_stopping_the_ledger(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        var giant = string.Concat(Enumerable.Repeat("model-é😀-", 1_000));

        await repo.InsertAsync([LedgerTests.Row(1, at: Noon.AddMinutes(1), model: giant, status: 404, cost: null), LedgerTests.Row(2, at: Noon.AddMinutes(2))]);

        var queries = new UsageQueries(db);
        var totals = await queries.TotalsAsync(new UsageFilter { From = Noon, To = Noon.AddHours(1) });
        Assert.Equal((2L, 1L), (totals.Requests, totals.FailedRequests));
        var byModel = await queries.GroupsAsync(new UsageFilter { From = Noon, To = Noon.AddHours(1) }, UsageGrouping.Model);
        Assert.Contains(byModel, g => g.Group == giant[..giant.EnumerateRunes().Take(128).Sum(r => r.Utf16SequenceLength)] && g.Totals.Requests == 1);
        // A filter naming the whole model reads the ledger, which has it whole.
        Assert.Equal(1L, (await queries.TotalsAsync(new UsageFilter { Model = giant, From = Noon, To = Noon.AddHours(1) })).Requests);
        Assert.Single(await queries.RecentAsync(new UsageFilter { Model = giant }, 10));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_spill_file_replayed_at_start_counts_its_stored_rows_once(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-rollup-").FullName;
        var rows = Enumerable.Range(0, 40).Select(i => LedgerTests.Row(i, key: "key_" + (i % 3), at: Noon.AddMinutes(i * 7))).ToList();
        // A stop during an outage parked these rows on disk, but the first 25 had been committed before the
        // connection dropped: the next start writes the file again.
        await new LedgerRepository(db).InsertAsync(rows[..25]);
        await File.WriteAllLinesAsync(Path.Combine(dir, "ledger-spill.jsonl"),
            rows.Select(r => JsonSerializer.Serialize(r, LedgerJsonContext.Default.UsageRecord)));

        var writer = await Ledgers.StartedWriterAsync(db, dir);
        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(30)));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(40, await Ledgers.CountAsync(db));
        await AssertRollupMatchesLedgerAsync(db);
        Assert.Equal(40, (await new UsageQueries(db).TotalsAsync(new UsageFilter { From = Noon.AddHours(-1) })).Requests);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Upgrading_rolls_up_the_rows_already_in_the_ledger(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = test.Open();
        var before = MigrationCatalog.Load(test.Backend, [typeof(SwitchboardDatabase).Assembly]).Where(m => m.Version < 5).ToList();
        await MigrationRunner.RunAsync(db, before, default);
        await using (var connection = await db.OpenAsync())
        {
            (string Id, string? Key, string? Name, string? Provider, int Status, long? Nano, double? Ttft, DateTimeOffset At)[] old =
            [
                ("old-1", "key_a", "alpha", "openai", 200, 250_000_000, 3.5, Noon.AddMinutes(5)),
                ("old-2", "key_a", "alpha-renamed", "openai", 500, null, null, Noon.AddMinutes(6)),
                ("old-3", null, null, null, 401, null, null, Noon.AddMinutes(7)),
                ("old-4", "key_a", "alpha", "openai", 200, 1_000_000_000, 2.0, Noon.AddHours(-3)),
            ];
            foreach (var (id, key, name, provider, status, nano, ttft, at) in old)
            {
                await using var insert = SwitchboardDatabase.Command(connection, """
                    INSERT INTO usage_ledger (request_id, ts_ms, key_id, key_name, team, endpoint, model, provider, status, stream,
                        prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens, usage_reported, usage_estimated,
                        cost_nano_usd, attempts, latency_ms, ttft_ms)
                    VALUES (@id, @ts, @key, @name, 'ops', 'chat.completions', 'gpt-4o', @provider, @status, 0, 10, 5, 1, 0, 1, 0, @cost, 1, 12.5, @ttft)
                    """).With("@id", id).With("@ts", at.ToUnixTimeMilliseconds()).With("@key", key).With("@name", name)
                    .With("@provider", provider).With("@status", status).With("@cost", nano).With("@ttft", ttft);
                await insert.ExecuteNonQueryAsync();
            }
        }

        Assert.Contains(5, await db.MigrateAsync());
        await AssertRollupMatchesLedgerAsync(db);
        // Rows written after the upgrade add to what was rolled up.
        await new LedgerRepository(db).InsertAsync([LedgerTests.Row(1, key: "key_a", at: Noon.AddMinutes(8))]);
        await AssertRollupMatchesLedgerAsync(db);
        var groups = await new UsageQueries(db).GroupsAsync(new UsageFilter { From = Noon, To = Noon.AddHours(1) }, UsageGrouping.Key);
        Assert.Equal([(null, null, 1L), ("key_a", "name-key_a", 3L)], groups.Select(g => (g.Group, g.Label, g.Totals.Requests)));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Every_rolled_up_answer_equals_the_ledgers_over_a_random_ledger(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var random = new Random(22);
        await RandomLedger.FillAsync(db, random, 2_500, Noon.AddDays(-3), TimeSpan.FromDays(3));
        await AssertRollupMatchesLedgerAsync(db);

        var rolled = new UsageQueries(db);
        var ledger = new UsageQueries(db) { ReadsRollup = false };
        for (var i = 0; i < 60; i++)
        {
            var filter = RandomLedger.Filter(random, Noon.AddDays(-3), TimeSpan.FromDays(3));
            Assert.Equal(await ledger.TotalsAsync(filter), await rolled.TotalsAsync(filter));
            foreach (var grouping in Enum.GetValues<UsageGrouping>())
            {
                Assert.Equal(await ledger.GroupsAsync(filter, grouping), await rolled.GroupsAsync(filter, grouping));
            }
            foreach (var bucket in Enum.GetValues<SeriesBucket>())
            {
                foreach (UsageGrouping? split in new UsageGrouping?[] { null, UsageGrouping.Key, UsageGrouping.Team, UsageGrouping.Model, UsageGrouping.Provider })
                {
                    Assert.Equal(await ledger.SeriesAsync(filter, bucket, split), await rolled.SeriesAsync(filter, bucket, split));
                }
            }
        }

        // The whole-hour answers really come from the roll-up: with the ledger emptied behind its back, they stay.
        var day = new UsageFilter { From = Noon.AddDays(-1), To = Noon };
        var totals = await rolled.TotalsAsync(day);
        Assert.NotEqual(0, totals.Requests);
        await using (var connection = await db.OpenAsync())
        {
            await using var wipe = SwitchboardDatabase.Command(connection, "DELETE FROM usage_ledger");
            await wipe.ExecuteNonQueryAsync();
        }
        Assert.Equal(totals, await rolled.TotalsAsync(day));
        Assert.Equal(0, (await ledger.TotalsAsync(day)).Requests);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Recent_requests_page_newest_first_for_rare_and_common_filters(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var random = new Random(7);
        await RandomLedger.FillAsync(db, random, 1_500, Noon.AddDays(-2), TimeSpan.FromDays(2));

        var guided = new UsageQueries(db);
        var plain = new UsageQueries(db) { ReadsRollup = false };
        UsageFilter[] filters =
        [
            new(),
            new() { KeyId = RandomLedger.RareKey },
            new() { KeyId = "key_1", Model = "gpt-4o" },
            new() { Status = 500 },
            new() { Status = 200, Provider = "anthropic" },
            new() { Model = "o3", From = Noon.AddHours(-30).AddMinutes(17), To = Noon.AddHours(-2).AddMinutes(41) },
            new() { Team = "research", KeyId = RandomLedger.RareKey, Status = 429 },
            new() { KeyId = "key_none" },
        ];
        foreach (var filter in filters)
        {
            var all = (await plain.RecentAsync(filter, 10_000)).Select(r => r.RequestId).ToList();
            var paged = new List<string>();
            RequestCursor? cursor = null;
            while (true)
            {
                var page = await guided.RecentAsync(filter, 7, cursor);
                paged.AddRange(page.Select(r => r.RequestId));
                if (page.Count < 7) break;
                cursor = RequestCursor.After(page[^1]);
            }
            Assert.Equal(all, paged);
        }
        Assert.NotEmpty(await plain.RecentAsync(new UsageFilter { KeyId = RandomLedger.RareKey }, 10));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task One_request_is_found_by_its_id(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var row = LedgerTests.Row(1, at: Noon) with { ClientRequestId = "trace-1" };
        await new LedgerRepository(db).InsertAsync([row, LedgerTests.Row(2, at: Noon)]);

        var found = await new UsageQueries(db).FindAsync(row.RequestId);

        Assert.NotNull(found);
        Assert.Equal((row.RequestId, row.KeyId, row.Model, "trace-1", Noon), (found.RequestId, found.KeyId, found.Model, found.ClientRequestId, found.Timestamp));
        Assert.Null(await new UsageQueries(db).FindAsync("req_missing"));
    }
}
