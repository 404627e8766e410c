using System.Data.Common;
using System.Globalization;

namespace Switchboard.Storage.Migrations;

/// <summary>Applies pending migrations, recording each in <c>schema_migrations</c>.</summary>
internal static class MigrationRunner
{
    // Any fixed 64-bit number; every Switchboard process takes the same advisory lock while migrating.
    private const long PostgresLockId = 0x5357_4254_4348_4231; // "SWBTCHB1"

    private const string CreateTable =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL)";

    public static async Task<IReadOnlyList<int>> RunAsync(SwitchboardDatabase database, IReadOnlyList<Migration> migrations, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var applied = new List<int>();
        if (database.IsPostgres)
        {
            // Session-level advisory lock: a second process starting at the same moment waits here, then finds
            // everything applied.
            await using (var lockCommand = SwitchboardDatabase.Command(connection, $"SELECT pg_advisory_lock({PostgresLockId})"))
            {
                await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            try
            {
                await ExecuteAsync(connection, null, CreateTable, cancellationToken).ConfigureAwait(false);
                var done = await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false);
                foreach (var migration in migrations)
                {
                    if (done.Contains(migration.Version)) continue;
                    await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                    await ApplyAsync(connection, transaction, migration, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    applied.Add(migration.Version);
                }
            }
            finally
            {
                await using var unlock = SwitchboardDatabase.Command(connection, $"SELECT pg_advisory_unlock({PostgresLockId})");
                await unlock.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            return applied;
        }

        await ExecuteAsync(connection, null, CreateTable, cancellationToken).ConfigureAwait(false);
        foreach (var migration in migrations)
        {
            // BEGIN IMMEDIATE takes SQLite's write lock up front, so two processes cannot both apply a migration.
            await ExecuteAsync(connection, null, "BEGIN IMMEDIATE", cancellationToken).ConfigureAwait(false);
            try
            {
                var done = await AppliedAsync(connection, null, cancellationToken).ConfigureAwait(false);
                if (!done.Contains(migration.Version))
                {
                    await ApplyAsync(connection, null, migration, cancellationToken).ConfigureAwait(false);
                    applied.Add(migration.Version);
                }
                await ExecuteAsync(connection, null, "COMMIT", cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await ExecuteAsync(connection, null, "ROLLBACK", CancellationToken.None).ConfigureAwait(false);
                throw;
            }
        }
        return applied;
    }

    private static async Task ApplyAsync(DbConnection connection, DbTransaction? transaction, Migration migration, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
        await using var record = SwitchboardDatabase.Command(connection,
            "INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (@v, @n, @t)", transaction)
            .With("@v", migration.Version).With("@n", migration.Name).With("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<HashSet<int>> AppliedAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        var versions = new HashSet<int>();
        await using var command = SwitchboardDatabase.Command(connection, "SELECT version FROM schema_migrations", transaction);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        }
        return versions;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = SwitchboardDatabase.Command(connection, sql, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
