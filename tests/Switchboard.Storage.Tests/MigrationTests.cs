using Switchboard.Storage;

namespace Switchboard.Storage.Tests;

public sealed class MigrationTests
{
    [Theory, SqliteBackend, PostgresBackend]
    public async Task Migrations_apply_once_and_are_idempotent(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var db = test.Open();
        var first = await db.MigrateAsync();
        var second = await db.MigrateAsync();
        Assert.Contains(1, first);
        Assert.Empty(second);
    }

    [Theory, SqliteBackend, PostgresBackend]
    public async Task Two_processes_migrating_at_once_both_succeed_and_apply_each_migration_once(string backend)
    {
        await using var test = await TestDatabase.CreateAsync(backend);
        await using var a = test.Open();
        await using var b = test.Open();
        var results = await Task.WhenAll(a.MigrateAsync(), b.MigrateAsync());
        Assert.Equal(results[0].Count + results[1].Count, results[0].Concat(results[1]).Distinct().Count());
        Assert.Contains(1, results[0].Concat(results[1]));
        await using var connection = await a.OpenAsync();
        await using var count = SwitchboardDatabase.Command(connection, "SELECT COUNT(*) FROM schema_migrations WHERE version = 1");
        Assert.Equal(1L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Postgres_url_is_parsed_and_the_password_never_shows()
    {
        var location = DatabaseLocation.Parse("postgres://app:s3cr%40t@db.internal:6543/switch?sslmode=disable");
        Assert.Equal(StorageBackend.Postgres, location.Backend);
        Assert.Equal("postgres://app@db.internal:6543/switch", location.Display);
        Assert.DoesNotContain("s3cr", location.ToString(), StringComparison.Ordinal);
        var parsed = new Npgsql.NpgsqlConnectionStringBuilder(location.ConnectionString);
        Assert.Equal("s3cr@t", parsed.Password);
        Assert.Equal(6543, parsed.Port);
        Assert.Equal("switch", parsed.Database);
    }

    [Fact]
    public void Postgres_url_errors_do_not_echo_the_password()
    {
        var error = Assert.Throws<FormatException>(() => DatabaseLocation.Parse("postgresql://app:hunter2@host:5432/"));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        var bad = Assert.Throws<FormatException>(() => DatabaseLocation.Parse("postgres://app:hunter2@host:5432/db?bogus_option=1"));
        Assert.DoesNotContain("hunter2", bad.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_path_is_sqlite_under_the_base_directory()
    {
        var location = DatabaseLocation.Parse(null, "/srv/gw");
        Assert.Equal(StorageBackend.Sqlite, location.Backend);
        Assert.Equal("/srv/gw/data/switchboard.db", location.SqlitePath);
    }
}
