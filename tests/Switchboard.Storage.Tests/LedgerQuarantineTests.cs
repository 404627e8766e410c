using System.Text.Json;
using Switchboard.Usage;
using static Switchboard.Storage.Tests.Ledgers;

namespace Switchboard.Storage.Tests;

/// <summary>No single row can stop the ledger (issue 19, item 1): odd text is stored cleaned, refused rows are set aside.</summary>
public sealed class LedgerQuarantineTests
{
    /// <summary>A row the database refuses whatever its text: <c>endpoint</c> is NOT NULL on both backends.</summary>
    private static UsageRecord Refused(int i) => LedgerTests.Row(i) with { Endpoint = null! };

    [Fact]
    public void Stored_text_replaces_NUL_and_unpaired_surrogates_and_keeps_everything_else()
    {
        const string fine = "gpt-4o ünïcødé 😀 done";
        Assert.Same(fine, StoredText.Clean(fine));
        Assert.Equal("x\uFFFDy", StoredText.Clean("x\0y"));
        Assert.Equal("a\uFFFDb\uFFFD", StoredText.Clean("a\ud800b\udc00"));
        Assert.Equal("\uFFFD😀\uFFFD", StoredText.Clean("\udc00😀\ud83d"));
        Assert.Null(StoredText.Clean(null));
        Assert.False(StoredText.IsValidName("team\u0001"));
        Assert.True(StoredText.IsValidName("team ünï 😀"));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_row_with_a_NUL_or_a_lone_surrogate_is_stored_cleaned_and_every_later_row_is_written(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);

        writer.Record(LedgerTests.Row(0, model: "x\0y"));
        writer.Record(LedgerTests.Row(1, model: "a\ud800b", key: "key\0z", team: "ops\0"));
        for (var i = 2; i < 12; i++) writer.Record(LedgerTests.Row(i));

        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(20)), "the ledger stopped writing");
        Assert.Equal(12, await CountAsync(db));
        Assert.True(writer.IsHealthy);
        Assert.Equal(0, writer.Quarantined);
        var q = new UsageQueries(db);
        Assert.Single(await q.RecentAsync(new UsageFilter { Model = "x\uFFFDy" }, 10));
        // A filter with the raw text finds the row too: filters are cleaned the same way.
        Assert.Single(await q.RecentAsync(new UsageFilter { Model = "x\0y" }, 10));
        var odd = Assert.Single(await q.RecentAsync(new UsageFilter { Model = "a\uFFFDb" }, 10));
        Assert.Equal(("key\uFFFDz", "ops\uFFFD"), (odd.KeyId, odd.Team));
        // SQLite's spend roll-up counts the row under the same (cleaned) key as the ledger.
        Assert.Equal(0.001m, await q.SpendAsync("key\uFFFDz", null));
        await writer.StopAsync(CancellationToken.None);
        await writer.DisposeAsync();
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_row_the_database_refuses_is_quarantined_and_the_rest_of_its_batch_is_written(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        var writer = await StartedWriterAsync(db, dir);

        var bad = new[] { Refused(3), Refused(17) };
        for (var i = 0; i < 40; i++) writer.Record(i == 3 ? bad[0] : i == 17 ? bad[1] : LedgerTests.Row(i));

        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(20)), "the ledger stopped writing");
        Assert.Equal(38, await CountAsync(db));
        Assert.Equal((38L, 2L), (writer.Stored, writer.Quarantined));
        Assert.True(writer.IsHealthy);
        var lines = File.ReadAllLines(writer.QuarantinePath).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(bad.Select(r => r.RequestId).Order(), lines.Select(l => l.GetProperty("row").GetProperty("RequestId").GetString()!).Order());
        Assert.All(lines, l => Assert.Contains(backend == "Postgres" ? "23502" : "NOT NULL", l.GetProperty("reason").GetString(), StringComparison.Ordinal));

        writer.Record(LedgerTests.Row(99)); // and it keeps going
        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(39, await CountAsync(db));
        await writer.StopAsync(CancellationToken.None);
        await writer.DisposeAsync();
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_spill_file_with_poisoned_rows_and_a_torn_line_does_not_block_the_next_start(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var dir = Directory.CreateTempSubdirectory("sb-ledger-").FullName;
        string Line(UsageRecord r) => JsonSerializer.Serialize(r, LedgerJsonContext.Default.UsageRecord);
        await File.WriteAllLinesAsync(Path.Combine(dir, "ledger-spill.jsonl"),
        [
            Line(LedgerTests.Row(0)),
            Line(LedgerTests.Row(1, model: "x\0y")),
            Line(Refused(2)),
            "{\"RequestId\":\"req_torn", // a write cut short by a crash, with rows appended after it
            Line(LedgerTests.Row(4)),
        ]);

        var writer = Writer(db, dir);
        Assert.Equal(5, writer.Accepted);
        await writer.StartAsync(CancellationToken.None);

        Assert.True(await writer.FlushAsync(TimeSpan.FromSeconds(20)), "the spill file blocked the start");
        Assert.Equal(3, await CountAsync(db));
        Assert.Equal(2, writer.Quarantined);
        Assert.Equal(0, writer.Pending);
        Assert.True(writer.IsHealthy);
        Assert.False(File.Exists(writer.SpillPath));
        Assert.Equal(2, File.ReadAllLines(writer.QuarantinePath).Length);
        await writer.StopAsync(CancellationToken.None);
        await writer.DisposeAsync();
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task The_client_request_id_is_stored_beside_the_gateway_id_and_filters_rows(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var rows = Enumerable.Range(0, 5).Select(i => LedgerTests.Row(i) with { ClientRequestId = "trace-same" }).Append(LedgerTests.Row(5)).ToList();

        await new LedgerRepository(db).InsertAsync(rows);

        var q = new UsageQueries(db);
        var same = await q.RecentAsync(new UsageFilter { ClientRequestId = "trace-same" }, 10);
        Assert.Equal(5, same.Count);
        Assert.All(same, r => Assert.Equal("trace-same", r.ClientRequestId));
        Assert.Equal(0.005m, (await q.TotalsAsync(new UsageFilter { ClientRequestId = "trace-same" })).CostUsd);
        Assert.Null((await q.RecentAsync(new UsageFilter(), 10)).Single(r => r.RequestId == rows[5].RequestId).ClientRequestId);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task The_adjusted_fields_are_stored_with_the_row(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = await test.OpenMigratedAsync();
        var rows = new[] { LedgerTests.Row(0) with { Adjusted = "thinking,temperature" }, LedgerTests.Row(1) };

        await new LedgerRepository(db).InsertAsync(rows);

        var stored = await new UsageQueries(db).RecentAsync(new UsageFilter(), 10);
        Assert.Equal("thinking,temperature", stored.Single(r => r.RequestId == rows[0].RequestId).Adjusted);
        Assert.Null(stored.Single(r => r.RequestId == rows[1].RequestId).Adjusted);
    }
}
