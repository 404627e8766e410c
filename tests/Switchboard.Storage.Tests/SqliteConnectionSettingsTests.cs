using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Switchboard.Storage.Tests;

/// <summary>
/// Every SQLite connection the gateway opens has WAL, NORMAL sync, the busy timeout and the large page cache: a fresh
/// native connection and one reused from the pool (whose settings are applied only when it was first opened).
/// Run alone: other tests' cleanup clears every SQLite pool of the process (SqliteConnection.ClearAllPools), which
/// would close the pooled connection this test expects to get back.
/// </summary>
[Collection(SqlitePoolCollection.Name)]
public sealed class SqliteConnectionSettingsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sb-settings-").FullName;

    [Fact]
    public async Task Fresh_and_pooled_connections_both_carry_the_settings()
    {
        await using var db = SwitchboardDatabase.FromConfigValue(Path.Combine(_dir, "gw.db"));
        await db.MigrateAsync();

        SQLitePCL.sqlite3? firstHandle;
        await using (var first = (SqliteConnection)await db.OpenAsync())
        {
            await AssertSettingsAsync(first);
            firstHandle = first.Handle;
        }

        // Closed and opened again: the pool hands back the same native connection, and its settings are still there.
        await using (var reused = (SqliteConnection)await db.OpenAsync())
        {
            Assert.Same(firstHandle, reused.Handle);
            await AssertSettingsAsync(reused);

            // Opened while the other is in use: a new native connection, set up on its first open.
            await using var second = (SqliteConnection)await db.OpenAsync();
            Assert.NotSame(firstHandle, second.Handle);
            await AssertSettingsAsync(second);
        }
    }

    private static async Task AssertSettingsAsync(SqliteConnection connection)
    {
        Assert.Equal("wal", await PragmaAsync(connection, "journal_mode"));
        Assert.Equal("1", await PragmaAsync(connection, "synchronous")); // NORMAL
        Assert.Equal("10000", await PragmaAsync(connection, "busy_timeout"));
        Assert.Equal("-32768", await PragmaAsync(connection, "cache_size"));
    }

    private static async Task<string> PragmaAsync(SqliteConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA " + name;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!.ToLowerInvariant();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SqlitePoolCollection
{
    public const string Name = "sqlite-pool";
}
