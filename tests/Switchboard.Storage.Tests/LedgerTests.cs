using Switchboard.Usage;
using static Switchboard.Storage.Tests.Ledgers;

namespace Switchboard.Storage.Tests;

public sealed class LedgerTests
{
    internal static UsageRecord Row(int i, string model = "gpt-4o", string? key = "key_a", string? team = "ops", string provider = "openai",
        int status = 200, decimal? cost = 0.001m, DateTimeOffset? at = null) => new()
    {
        RequestId = $"req_{i:D6}_{Guid.NewGuid():N}",
        Timestamp = at ?? DateTimeOffset.UtcNow,
        KeyId = key,
        KeyName = key is null ? null : "name-" + key,
        Team = team,
        Endpoint = "chat.completions",
        Model = model,
        Provider = provider,
        UpstreamModel = model + "-2024",
        Status = status,
        ErrorCode = status >= 400 ? "upstream_error" : null,
        Stream = i % 2 == 0,
        Usage = new TokenUsage(10, 5, 15, 2, 1),
        CostUsd = cost,
        Attempts = 1,
        AttemptLog = provider + ":" + status,
        LatencyMs = 12.5,
        TimeToFirstTokenMs = i % 2 == 0 ? 3.25 : null,
    };

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Rows_round_trip_and_inserting_a_request_id_twice_keeps_one_row(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        var row = Row(0) with { CostUsd = 0.000000123m, CostEstimated = true };

        await repo.InsertAsync([row]);
        await repo.InsertAsync([row, Row(2, cost: null)]);

        Assert.Equal(2, await CountAsync(db));
        var back = (await new UsageQueries(db).RecentAsync(new UsageFilter { KeyId = "key_a" }, 10)).Single(r => r.RequestId == row.RequestId);
        Assert.Equal(row.Timestamp.ToUnixTimeMilliseconds(), back.Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal((row.Model, row.Provider, row.UpstreamModel, row.Status, row.Stream, row.AttemptLog), (back.Model, back.Provider, back.UpstreamModel, back.Status, back.Stream, back.AttemptLog));
        Assert.Equal((10L, 5L, 2L, 1L), (back.Usage.PromptTokens, back.Usage.CompletionTokens, back.Usage.CachedPromptTokens, back.Usage.ReasoningTokens));
        Assert.Equal(0.000000123m, back.CostUsd);
        Assert.True(back.CostEstimated);
        Assert.Equal(3.25, back.TimeToFirstTokenMs);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_large_batch_with_a_repeated_request_id_and_empty_columns_is_stored_once_per_id(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var repo = new LedgerRepository(db);
        var rows = new List<UsageRecord>();
        for (var i = 0; i < LedgerRepository.MaxBatch * 2 + 7; i++) rows.Add(Row(i, key: i % 3 == 0 ? null : "key_b", team: null, cost: i % 2 == 0 ? null : 0.5m));
        rows.Add(rows[3]); // the same request twice in one batch (a retried row)
        var bare = Row(9_999, key: null, team: null, status: 502) with { Provider = null, UpstreamModel = null, AttemptLog = null, UsageMissing = true, TimeToFirstTokenMs = null };
        rows.Add(bare);

        await repo.InsertAsync(rows);

        Assert.Equal(LedgerRepository.MaxBatch * 2 + 8, await CountAsync(db));
        var back = (await new UsageQueries(db).RecentAsync(new UsageFilter { Status = 502 }, 10)).Single();
        Assert.Equal(bare.RequestId, back.RequestId);
        Assert.Equal((null, null, null, null, null, "upstream_error"), (back.KeyId, back.Team, back.Provider, back.UpstreamModel, back.AttemptLog, back.ErrorCode));
        Assert.True(back.UsageMissing);
        Assert.True(back.CostEstimated); // a row without reported usage counts as estimated
        Assert.Null(back.TimeToFirstTokenMs);
        var totals = await new UsageQueries(db).TotalsAsync(new UsageFilter { KeyId = "key_b" });
        Assert.Equal(rows.Take(rows.Count - 2).Count(r => r.KeyId == "key_b" && r.CostUsd is null), totals.UnpricedRequests);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Usage_is_totalled_and_grouped_with_unpriced_requests_apart(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var day1 = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero);
        var day2 = day1.AddDays(1);
        await new LedgerRepository(db).InsertAsync(
        [
            Row(1, "gpt-4o", "key_a", "ops", at: day1, cost: 0.5m),
            Row(2, "gpt-4o", "key_b", "ops", at: day1, cost: 0.25m),
            Row(3, "claude", "key_b", null, "anthropic", at: day2, cost: null),
            Row(4, "claude", "key_a", "ops", "anthropic", status: 502, at: day2, cost: null),
        ]);
        var q = new UsageQueries(db);

        var all = await q.TotalsAsync(new UsageFilter());
        Assert.Equal(new UsageTotals(4, 40, 20, 8, 4, 0.75m, 2, 1, 0), all);
        var byModel = await q.GroupsAsync(new UsageFilter(), UsageGrouping.Model);
        Assert.Equal(["claude", "gpt-4o"], byModel.Select(g => g.Group));
        Assert.Equal(0.75m, byModel[1].Totals.CostUsd);
        Assert.Equal(2, byModel[0].Totals.UnpricedRequests);
        var byKey = await q.GroupsAsync(new UsageFilter(), UsageGrouping.Key);
        Assert.Equal([("key_a", "name-key_a", 2L), ("key_b", "name-key_b", 2L)], byKey.Select(g => (g.Group, g.Label, g.Totals.Requests)));
        var byDay = await q.GroupsAsync(new UsageFilter(), UsageGrouping.Day);
        Assert.Equal(["2026-11-01", "2026-11-02"], byDay.Select(g => g.Group));
        var byTeam = await q.GroupsAsync(new UsageFilter { Model = "claude" }, UsageGrouping.Team);
        Assert.Equal([null, "ops"], byTeam.Select(g => g.Group));
        var byProvider = await q.GroupsAsync(new UsageFilter { From = day2 }, UsageGrouping.Provider);
        Assert.Equal([("anthropic", 2L)], byProvider.Select(g => (g.Group, g.Totals.Requests)));
        Assert.Equal(0.5m, await q.SpendAsync("key_a", null));
        Assert.Equal(0m, await q.SpendAsync("key_a", day2));
        Assert.Equal(1, (await q.TotalsAsync(new UsageFilter { KeyId = "key_a", To = day2 })).Requests);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Recent_rows_filter_by_status_key_and_model_newest_first(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-10);
        await new LedgerRepository(db).InsertAsync([Row(1, at: t0), Row(2, status: 502, at: t0.AddSeconds(1)), Row(3, "claude", at: t0.AddSeconds(2)), Row(4, key: "key_z", at: t0.AddSeconds(3))]);
        var q = new UsageQueries(db);

        Assert.Equal(4, (await q.RecentAsync(new UsageFilter(), 100)).Count);
        Assert.Equal(2, (await q.RecentAsync(new UsageFilter(), 2)).Count);
        Assert.Equal("claude", (await q.RecentAsync(new UsageFilter(), 100))[1].Model);
        Assert.Equal(502, (await q.RecentAsync(new UsageFilter { Status = 502 }, 100)).Single().Status);
        Assert.Equal("key_z", (await q.RecentAsync(new UsageFilter { KeyId = "key_z" }, 100)).Single().KeyId);
        Assert.Equal(3, (await q.RecentAsync(new UsageFilter { Model = "gpt-4o" }, 100)).Count);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Graceful_stop_writes_every_queued_row(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);

        const int rows = 3000;
        for (var i = 0; i < rows; i++) writer.Record(Row(i));
        await writer.StopAsync(CancellationToken.None);

        Assert.Equal(rows, await CountAsync(db));
        Assert.Equal(rows, writer.Stored);
        Assert.False(File.Exists(writer.SpillPath));
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Rows_recorded_after_stop_or_while_the_database_is_gone_survive_in_the_spill_file()
    {
        await using var test = await TestDatabase.CreateAsync("Sqlite");
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);
        await writer.StopAsync(CancellationToken.None);

        for (var i = 0; i < 25; i++) writer.Record(Row(i)); // late rows from requests that outlived the host
        Assert.True(File.Exists(writer.SpillPath));

        var next = Writer(db, dir);
        Assert.Equal(25, next.Accepted);
        await next.StartAsync(CancellationToken.None);
        Assert.True(await next.FlushAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(25, await CountAsync(db));
        await next.StopAsync(CancellationToken.None);
        Assert.False(File.Exists(next.SpillPath));
    }
}
