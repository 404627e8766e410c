using Switchboard.Usage;
using static Switchboard.Storage.Tests.LedgerTests;

namespace Switchboard.Storage.Tests;

/// <summary>The console's request log reads: pages that follow one another without gaps or repeats, its filters, one row by id.</summary>
public sealed class RequestLogQueryTests
{
    [Theory, SqliteBackend, PostgresBackend]
    public async Task Pages_follow_each_other_newest_first_without_gaps_or_repeats_even_within_one_millisecond(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-30);
        // Seven rows share one millisecond: only the request id orders them.
        var rows = Enumerable.Range(0, 23).Select(i => Row(i, at: t0.AddMilliseconds(i < 7 ? 0 : i))).ToList();
        await new LedgerRepository(db).InsertAsync(rows);
        var q = new UsageQueries(db);

        var seen = new List<string>();
        RequestCursor? before = null;
        while (true)
        {
            var page = await q.PageAsync(new LogFilter { Before = before }, 5);
            seen.AddRange(page.Select(r => r.RequestId));
            if (page.Count < 5) break;
            before = RequestCursor.After(page[^1]);
        }

        var expected = rows.OrderByDescending(r => r.Timestamp.ToUnixTimeMilliseconds()).ThenByDescending(r => r.RequestId, StringComparer.Ordinal)
            .Select(r => r.RequestId);
        Assert.Equal(expected, seen);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Status_classes_and_the_endpoint_narrow_the_log(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var t0 = DateTimeOffset.UtcNow.AddMinutes(-5);
        await new LedgerRepository(db).InsertAsync(
        [
            Row(1, at: t0),
            Row(2, status: 400, at: t0.AddSeconds(1)),
            Row(3, status: 429, at: t0.AddSeconds(2)),
            Row(4, status: 502, at: t0.AddSeconds(3)) with { Endpoint = "messages" },
            Row(5, at: t0.AddSeconds(4)) with { Endpoint = "messages" },
        ]);
        var q = new UsageQueries(db);

        Assert.Equal([429, 400], (await q.PageAsync(new LogFilter { StatusFrom = 400, StatusBelow = 500 }, 50)).Select(r => r.Status));
        Assert.Equal([502], (await q.PageAsync(new LogFilter { StatusFrom = 500, StatusBelow = 600 }, 50)).Select(r => r.Status));
        Assert.Equal([200, 200], (await q.PageAsync(new LogFilter { StatusBelow = 400 }, 50)).Select(r => r.Status));
        Assert.Equal([200, 502], (await q.PageAsync(new LogFilter { Endpoint = "messages" }, 50)).Select(r => r.Status));
        Assert.Equal([502], (await q.PageAsync(new LogFilter { Endpoint = "messages", StatusFrom = 500 }, 50)).Select(r => r.Status));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task One_request_is_found_by_its_id_with_every_column(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var row = Row(1, status: 200) with { Attempts = 2, AttemptLog = "a:503,b:200", ClientRequestId = "client-1" };
        await new LedgerRepository(db).InsertAsync([row, Row(2)]);
        var q = new UsageQueries(db);

        var found = await q.FindAsync(row.RequestId);

        Assert.NotNull(found);
        Assert.Equal((row.RequestId, row.KeyId, row.Model, "a:503,b:200", 2, "client-1"),
            (found.RequestId, found.KeyId, found.Model, found.AttemptLog, found.Attempts, found.ClientRequestId));
        Assert.Equal(row.Usage.PromptTokens, found.Usage.PromptTokens);
        Assert.Null(await q.FindAsync("req_" + new string('0', 32)));
    }

    [Theory]
    [InlineData("1700000000000_req_abc", 1700000000000L, "req_abc")]
    [InlineData("1_a_b", 1L, "a_b")]
    public void A_cursor_reads_back_from_its_text(string text, long ms, string id)
    {
        Assert.True(RequestCursor.TryParse(text, out var cursor));
        Assert.Equal(new RequestCursor(ms, id), cursor);
        Assert.Equal(text, cursor.Value.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("_req")]
    [InlineData("12_")]
    [InlineData("-5_req")]
    [InlineData("abc_req")]
    public void A_malformed_cursor_is_refused(string? text) => Assert.False(RequestCursor.TryParse(text, out _));
}
