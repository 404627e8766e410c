using Switchboard.Providers.OpenAI.Responses.Stored;
using Switchboard.Storage.Responses;

namespace Switchboard.Storage.Tests;

/// <summary>Stored Responses API answers: the repository on both backends, and the store's queue in front of it.</summary>
public sealed class ResponseStoreTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000);

    private static StoredResponse Response(string id, string owner = "key_a", string? previous = null, TimeSpan? lifetime = null) => new()
    {
        Id = id,
        Owner = owner,
        CreatedAt = Now,
        ExpiresAt = Now + (lifetime ?? TimeSpan.FromDays(30)),
        Provider = "openai-main",
        UpstreamModel = "gpt-4o-mini",
        Native = id.EndsWith("native", StringComparison.Ordinal),
        PreviousResponseId = previous,
        InputItemsJson = $$"""[{"type":"message","role":"user","content":[{"type":"input_text","text":"question of {{id}} ✓"}]}]""",
        ResponseJson = $$"""{"id":"{{id}}","object":"response","output":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"answer"}]}]}""",
    };

    private static async Task<long> CountAsync(SwitchboardDatabase db)
    {
        await using var connection = await db.OpenAsync();
        await using var command = SwitchboardDatabase.Command(connection, "SELECT COUNT(*) FROM responses");
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static ResponseStore Store(SwitchboardDatabase db) => new(new ResponseRepository(db), new FixedClock(Now), NullLogger<ResponseStore>.Instance);

    /// <summary>A fresh migrated database with the repository on it.</summary>
    private static async Task<Migrated> MigratedAsync(string backend)
    {
        var test = await TestDatabase.CreateAsync(backend);
        return new Migrated(test, await test.OpenMigratedAsync());
    }

    private sealed class Migrated(TestDatabase test, SwitchboardDatabase db) : IAsyncDisposable
    {
        public SwitchboardDatabase Db => db;
        public ResponseRepository Repository { get; } = new(db);

        public async ValueTask DisposeAsync()
        {
            await db.DisposeAsync();
            await test.DisposeAsync();
        }
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_stored_response_reads_back_whole_for_its_owner_only_and_only_until_it_expires(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        var stored = Response("resp_native", previous: "resp_earlier");

        await repo.InsertAsync([stored, stored]);

        Assert.Equal(stored, await repo.FindAsync("resp_native", "key_a", Now));
        Assert.Equal(1, await CountAsync(db));
        Assert.Null(await repo.FindAsync("resp_native", "key_b", Now));
        Assert.Null(await repo.FindAsync("resp_native", "key_a", stored.ExpiresAt));
        Assert.Null(await repo.FindAsync("resp_unknown", "key_a", Now));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_chain_is_read_newest_first_in_one_query_and_ends_where_a_turn_is_gone(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        await repo.InsertAsync([Response("resp_1"), Response("resp_2", previous: "resp_1"), Response("resp_3", previous: "resp_2"),
            Response("resp_4", previous: "resp_3", lifetime: TimeSpan.FromDays(1))]);

        Assert.Equal(["resp_4", "resp_3", "resp_2", "resp_1"], (await repo.FindChainAsync("resp_4", "key_a", Now)).Select(r => r.Id));
        Assert.Empty(await repo.FindChainAsync("resp_4", "key_b", Now));
        Assert.Empty(await repo.FindChainAsync("resp_4", "key_a", Now + TimeSpan.FromDays(2)));
        Assert.True(await repo.DeleteAsync("resp_2", "key_a", Now));
        Assert.Equal(["resp_4", "resp_3"], (await repo.FindChainAsync("resp_4", "key_a", Now)).Select(r => r.Id));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Delete_is_for_the_owner_alone(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        await repo.InsertAsync([Response("resp_1")]);

        Assert.False(await repo.DeleteAsync("resp_1", "key_b", Now));
        Assert.NotNull(await repo.FindAsync("resp_1", "key_a", Now));
        Assert.True(await repo.DeleteAsync("resp_1", "key_a", Now));
        Assert.False(await repo.DeleteAsync("resp_1", "key_a", Now));
        Assert.Equal(0, await CountAsync(db));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Pruning_deletes_every_expired_response_in_batches_and_keeps_the_live_ones(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        var expired = Enumerable.Range(0, ResponseStore.PruneBatch * 2 + 7)
            .Select(i => Response($"resp_old_{i}", lifetime: TimeSpan.FromDays(-1))).ToList();
        await repo.InsertAsync([.. expired, Response("resp_live_1"), Response("resp_live_2")]);

        var pruned = await Store(db).PruneAsync();

        Assert.Equal(expired.Count, pruned);
        Assert.Equal(2, await CountAsync(db));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_saved_response_is_readable_at_once_and_written_in_the_background(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        await repo.InsertAsync([Response("resp_1")]);
        await using var store = Store(db);

        store.Save(Response("resp_2", previous: "resp_1"));

        // Not started: only the queue holds it, and reads see it there, the chain running on into the database.
        Assert.Equal("resp_2", (await store.FindAsync("resp_2", "key_a", Now, default))?.Id);
        Assert.Null(await store.FindAsync("resp_2", "key_b", Now, default));
        Assert.Equal(["resp_2", "resp_1"], (await store.FindChainAsync("resp_2", "key_a", Now, default)).Select(r => r.Id));
        Assert.Null(await repo.FindAsync("resp_2", "key_a", Now));

        await store.StartAsync(default);
        await store.StopAsync(default);
        Assert.Equal(1, store.Stored);
        Assert.Equal(0, store.Pending);
        Assert.Equal(Response("resp_2", previous: "resp_1"), await repo.FindAsync("resp_2", "key_a", Now));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Responses_saved_while_running_are_written_after_the_batch_window_without_a_stop(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var (db, repo) = (test.Db, test.Repository);
        await using var store = Store(db);
        await store.StartAsync(default);

        for (var i = 0; i < 3; i++) store.Save(Response($"resp_live_{i}"));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((store.Stored < 3 || store.Pending > 0) && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.Equal(3, store.Stored);
        Assert.Equal(0, store.Pending);
        for (var i = 0; i < 3; i++) Assert.NotNull(await repo.FindAsync($"resp_live_{i}", "key_a", Now));
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task A_response_deleted_while_queued_is_never_written(string backend)
    {
        await using var test = await MigratedAsync(backend);
        var db = test.Db;
        await using var store = Store(db);
        store.Save(Response("resp_gone"));
        store.Save(Response("resp_kept"));

        Assert.False(await store.DeleteAsync("resp_gone", "key_b", Now, default));
        Assert.True(await store.DeleteAsync("resp_gone", "key_a", Now, default));
        await store.StartAsync(default);
        await store.StopAsync(default);

        Assert.Null(await store.FindAsync("resp_gone", "key_a", Now, default));
        Assert.NotNull(await store.FindAsync("resp_kept", "key_a", Now, default));
        Assert.Equal(1, await CountAsync(db));
    }

    [Fact]
    public async Task A_full_queue_drops_new_responses_instead_of_making_requests_wait()
    {
        await using var test = await MigratedAsync("Sqlite");
        var db = test.Db;
        await using var store = Store(db);

        for (var i = 0; i < ResponseStore.QueueLimit + 5; i++) store.Save(Response($"resp_{i}"));

        Assert.Equal(5, store.Dropped);
        Assert.Null(await store.FindAsync($"resp_{ResponseStore.QueueLimit}", "key_a", Now, default));
        await store.StartAsync(default);
        await store.StopAsync(default);
        Assert.Equal(ResponseStore.QueueLimit, await CountAsync(db));
    }
}
