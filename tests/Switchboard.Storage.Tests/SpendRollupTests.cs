using System.Globalization;
using Switchboard.Limits;
using Switchboard.Storage.Limits;
using Switchboard.Storage.Migrations;

namespace Switchboard.Storage.Tests;

/// <summary>
/// A budget's spend so far, as a restarted gateway reads it: on SQLite from the spend roll-up the ledger writer keeps
/// (migration 002), on PostgreSQL from the ledger itself. Both must give what summing the ledger's priced rows gives.
/// </summary>
public sealed class SpendRollupTests
{
    // Fixed times, so no case depends on when the suite runs (a budget day is a UTC calendar day).
    private static readonly DateTimeOffset Today = new(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Month = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static LedgerSpendSource Spend(SwitchboardDatabase db) => new(db, NullLogger<LedgerSpendSource>.Instance);

    private static async Task<decimal> LedgerSumAsync(SwitchboardDatabase db, string column, string id, DateTimeOffset since)
    {
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection,
            $"SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE {column} = @id AND ts_ms >= @since")
            .With("@id", id).With("@since", since.ToUnixTimeMilliseconds());
        return Money.FromNano(Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_batch_written_again_after_an_outage_adds_its_spend_once(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        var batch = new List<Switchboard.Usage.UsageRecord>
        {
            LedgerTests.Row(1, key: "key_a", team: "ops", cost: 0.25m, at: Today.AddMinutes(1)),
            LedgerTests.Row(2, key: "key_a", team: "ops", cost: 0.25m, at: Today.AddHours(23)),
            LedgerTests.Row(3, key: "key_a", team: "ops", cost: null, at: Today.AddMinutes(2)), // unpriced: never counted as 0 or more
            LedgerTests.Row(4, key: "key_b", team: "ops", cost: 0.5m, at: Today.AddMinutes(3)),
            LedgerTests.Row(5, key: "key_a", team: null, cost: 1m, at: Today.AddHours(-1)), // yesterday
        };

        await repo.InsertAsync(batch);
        // The writer retries a batch whose commit it could not confirm; a request id already stored adds nothing.
        await repo.InsertAsync([.. batch, LedgerTests.Row(6, key: "key_a", team: "ops", cost: 0.125m, at: Today.AddMinutes(4)), batch[0]]);

        var spend = Spend(db);
        Assert.Equal(0.625m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Today, default));
        Assert.Equal(1.625m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Month, default));
        Assert.Equal(1.625m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", DateTimeOffset.UnixEpoch, default));
        Assert.Equal(1.125m, await spend.SpentSinceAsync(LimitScope.Team, "ops", Today, default));
        Assert.Equal(0m, await spend.SpentSinceAsync(LimitScope.Team, "key_a", Today, default)); // a key's id is not a team
        Assert.Equal(0m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Today.AddDays(1), default));
        // A start that is not a UTC midnight sums the ledger itself: the row at 00:01 is then left out.
        Assert.Equal(0.375m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Today.AddMinutes(1).AddMilliseconds(1), default));

        var queries = new UsageQueries(db); // the admin key view's "spend this period"
        Assert.Equal(0.625m, await queries.SpendAsync("key_a", Today));
        Assert.Equal(1.625m, await queries.SpendAsync("key_a", null));
        Assert.Equal(0.375m, await queries.SpendAsync("key_a", Today.AddMinutes(1).AddMilliseconds(1)));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task The_spend_read_for_every_key_team_and_period_equals_the_sum_of_the_ledger(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        string?[] keys = ["key_a", "key_b", "key_c", null];
        string?[] teams = ["ops", "research", null];
        decimal?[] costs = [0.000001m, 0.0123456m, 0m, null, 2.5m, 0.000000001m];
        var rows = new List<Switchboard.Usage.UsageRecord>();
        for (var i = 0; i < LedgerRepository.MaxBatch * 2 + 37; i++)
        {
            // Spread over 40 days either side of a month start and over every hour, with a few repeated ids.
            var at = Month.AddDays(i % 40 - 20).AddMinutes(i * 37 % 1440);
            rows.Add(i % 97 == 0 && i > 0 ? rows[i - 1] : LedgerTests.Row(i, key: keys[i % keys.Length], team: teams[i % teams.Length], cost: costs[i % costs.Length], at: at));
        }
        await repo.InsertAsync(rows[..700]);
        await repo.InsertAsync(rows[500..]); // overlaps the first batch by 200 rows

        var spend = Spend(db);
        DateTimeOffset[] starts = [DateTimeOffset.UnixEpoch, Month.AddMonths(-1), Month, Today, Month.AddDays(-20), Month.AddDays(19), Month.AddDays(20)];
        foreach (var since in starts)
        {
            foreach (var key in keys.OfType<string>())
            {
                Assert.Equal(await LedgerSumAsync(db, "key_id", key, since), await spend.SpentSinceAsync(LimitScope.Key, key, since, default));
            }
            foreach (var team in teams.OfType<string>())
            {
                Assert.Equal(await LedgerSumAsync(db, "team", team, since), await spend.SpentSinceAsync(LimitScope.Team, team, since, default));
            }
        }
        Assert.NotEqual(0m, await spend.SpentSinceAsync(LimitScope.Team, "research", Month, default));
    }

    [Fact]
    public async Task Upgrading_a_sqlite_database_rolls_up_the_spend_already_in_its_ledger_and_drops_the_per_key_indexes()
    {
        await using var test = await TestDatabase.CreateAsync(StorageBackend.Sqlite);
        await using var db = test.Open();
        // A database as the previous release left it: schema v1 and ledger rows written before the roll-up existed.
        var v1 = MigrationCatalog.Load(StorageBackend.Sqlite, [typeof(SwitchboardDatabase).Assembly]).Where(m => m.Version == 1).ToList();
        Assert.Equal([1], await MigrationRunner.RunAsync(db, v1, default));
        await using (var connection = await db.OpenAsync())
        {
            (string Id, string? Key, string? Team, long? Nano, DateTimeOffset At)[] old =
            [
                ("old-1", "key_a", "ops", 250_000_000, Today.AddMinutes(5)),
                ("old-2", "key_a", "ops", 125_000_000, Today.AddHours(-2)),
                ("old-3", "key_a", null, null, Today.AddMinutes(6)),
                ("old-4", null, "ops", 1_000_000_000, Today.AddMinutes(7)),
            ];
            foreach (var (id, key, team, nano, at) in old)
            {
                await using var insert = SwitchboardDatabase.Command(connection, """
                    INSERT INTO usage_ledger (request_id, ts_ms, key_id, team, endpoint, model, status, stream, prompt_tokens,
                        completion_tokens, cached_tokens, reasoning_tokens, usage_reported, usage_estimated, cost_nano_usd, attempts, latency_ms)
                    VALUES (@id, @ts, @key, @team, 'chat.completions', 'gpt-4o', 200, 0, 10, 5, 0, 0, 1, 0, @cost, 1, 1.0)
                    """).With("@id", id).With("@ts", at.ToUnixTimeMilliseconds()).With("@key", key).With("@team", team).With("@cost", nano);
                await insert.ExecuteNonQueryAsync();
            }
        }

        Assert.Contains(2, await db.MigrateAsync());
        // And rows written after the upgrade add to what was rolled up.
        await new LedgerRepository(db).InsertAsync([LedgerTests.Row(1, key: "key_a", team: "ops", cost: 0.5m, at: Today.AddMinutes(8))]);

        var spend = Spend(db);
        Assert.Equal(0.75m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Today, default));
        Assert.Equal(0.875m, await spend.SpentSinceAsync(LimitScope.Key, "key_a", Month, default));
        Assert.Equal(1.75m, await spend.SpentSinceAsync(LimitScope.Team, "ops", Today, default));
        await using var check = await db.OpenAsync();
        await using var indexes = SwitchboardDatabase.Command(check,
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_ledger' AND sql IS NOT NULL ORDER BY name");
        var names = new List<string>();
        await using (var r = await indexes.ExecuteReaderAsync())
        {
            while (await r.ReadAsync()) names.Add(r.GetString(0));
        }
        // The per-key and per-team indexes are gone; migration 003 adds only the partial client-request-id index.
        Assert.Equal(["ix_usage_ledger_client_request_id", "ix_usage_ledger_ts"], names);
        Assert.All(await new UsageQueries(db).RecentAsync(new UsageFilter { KeyId = "key_a" }, 10), r => Assert.Null(r.ClientRequestId));
    }
}
