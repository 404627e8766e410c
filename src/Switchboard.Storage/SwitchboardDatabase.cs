using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Npgsql;
using SQLitePCL;
using Switchboard.Storage.Migrations;

namespace Switchboard.Storage;

/// <summary>
/// The gateway's database, SQLite or PostgreSQL behind one face: open a connection, run the migrations.
/// SQL shared by both backends uses <c>@name</c> parameters, <c>BIGINT</c> unix-millisecond times and
/// <c>INSERT ... ON CONFLICT</c>, which both engines understand; where they differ, branch on <see cref="Backend"/>.
/// One instance per process (it owns the PostgreSQL connection pool); thread-safe.
/// </summary>
public sealed class SwitchboardDatabase : IAsyncDisposable
{
    // Native SQLite handles whose per-connection settings are already applied. A pooled SqliteConnection reuses its native
    // handle, and the settings live on the handle, so they are applied once per handle, not on every open (the key
    // directory's poll opens 4 times a second, the ledger writer once per batch). Weak keys: a handle the pool closes
    // drops out.
    private static readonly ConditionalWeakTable<sqlite3, object> s_configuredHandles = new();
    private static readonly object s_configured = new();

    private readonly NpgsqlDataSource? _postgres;

    public SwitchboardDatabase(DatabaseLocation location)
    {
        Location = location;
        if (location.Backend == StorageBackend.Postgres)
        {
            _postgres = NpgsqlDataSource.Create(location.ConnectionString);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(location.SqlitePath!)!);
        }
    }

    /// <summary>Parses the <c>database:</c> config value and opens nothing yet.</summary>
    public static SwitchboardDatabase FromConfigValue(string? value, string? baseDirectory = null) =>
        new(DatabaseLocation.Parse(value, baseDirectory));

    public DatabaseLocation Location { get; }
    public StorageBackend Backend => Location.Backend;
    public bool IsPostgres => Backend == StorageBackend.Postgres;

    /// <summary>
    /// Opens a pooled connection. SQLite connections come with WAL, a busy timeout and foreign keys on (set when the
    /// native connection is first opened; a connection reused from the pool keeps them).
    /// </summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }
        var connection = new SqliteConnection(Location.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var handle = connection.Handle;
            if (handle is not null && s_configuredHandles.TryGetValue(handle, out _)) return connection;
            await using var pragma = connection.CreateCommand();
            // WAL lets readers (admin queries) run beside the ledger writer; NORMAL sync is durable across crashes of
            // the process (not of the OS), the usual WAL setting. A 32 MB page cache (per pooled connection; the default
            // is 2 MB) keeps the ledger's index pages in memory, so a batch insert does not re-read them from the OS.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA cache_size=-32768;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (handle is not null) s_configuredHandles.AddOrUpdate(handle, s_configured);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Applies every migration not yet recorded in <c>schema_migrations</c>, in version order, each in its own
    /// transaction. Idempotent; safe when several processes start at once (PostgreSQL: advisory lock; SQLite:
    /// <c>BEGIN IMMEDIATE</c>). Returns the versions applied by this call.
    /// </summary>
    public Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        return MigrationRunner.RunAsync(this, MigrationCatalog.Load(Backend, [typeof(SwitchboardDatabase).Assembly]), cancellationToken);
    }

    /// <summary>Creates a command on <paramref name="connection"/> with <c>@name</c> parameters.</summary>
    public static DbCommand Command(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>True for errors that mean "the database is unreachable or unavailable right now" (retry later).</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" } || npgsql.InnerException is IOException or System.Net.Sockets.SocketException or TimeoutException,
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 10 or 14, // BUSY, LOCKED, IOERR, CANTOPEN
        TimeoutException or IOException or System.Net.Sockets.SocketException => true,
        OperationCanceledException => false,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>
    /// True when a read or write failed because of the database (unreachable, or it answered with an error), not the
    /// caller: an admin call answers 503, a console page shows a notice instead of failing.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => IsTransient(exception) || exception is System.Data.Common.DbException;

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null) await _postgres.DisposeAsync().ConfigureAwait(false);
        else SqliteConnection.ClearAllPools();
    }
}

/// <summary>Adds a parameter in one line (both providers accept <c>@name</c>).</summary>
public static class DbCommandExtensions
{
    /// <summary>Adds <c>@name</c>; a string is bound as <see cref="StoredText.Clean"/> makes it (what every text column holds).</summary>
    public static DbCommand With(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = (value is string text ? StoredText.Clean(text) : value) ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return command;
    }
}
