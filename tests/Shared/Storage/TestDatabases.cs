using System.Data.Common;
using System.Reflection;
using Npgsql;
using Switchboard.Storage;
using Xunit.Sdk;

namespace Switchboard.Testing;

/// <summary>
/// Fresh, empty databases for tests: a SQLite file in a temp directory, or a new database on the PostgreSQL server
/// named by <c>SWITCHBOARD_TEST_POSTGRES</c> (an admin URL such as <c>postgres://postgres@127.0.0.1:5433/postgres</c>;
/// test.sh starts a private cluster and sets it). Disposing deletes the file or drops the database.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresUrlVariable = "SWITCHBOARD_TEST_POSTGRES";
    public const string RequirePostgresVariable = "SWITCHBOARD_REQUIRE_POSTGRES";

    private readonly string? _sqliteDirectory;
    private readonly string? _postgresName;

    private TestDatabase(StorageBackend backend, string configValue, string? sqliteDirectory, string? postgresName)
    {
        Backend = backend;
        ConfigValue = configValue;
        _sqliteDirectory = sqliteDirectory;
        _postgresName = postgresName;
    }

    public StorageBackend Backend { get; }

    /// <summary>What to put after <c>database:</c> in a gateway config (a file path or a postgres:// URL).</summary>
    public string ConfigValue { get; }

    /// <summary>The admin URL of the test PostgreSQL server, or null when none is configured.</summary>
    public static string? PostgresAdminUrl => Environment.GetEnvironmentVariable(PostgresUrlVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Why PostgreSQL cases skip (null = they run).</summary>
    public static string? PostgresSkipReason
    {
        get
        {
            if (PostgresAdminUrl is not null) return null;
            if (Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1")
            {
                // Under test.sh a missing server is a failure, not a skip: the cases run and fail in CreateAsync.
                return null;
            }
            return $"{PostgresUrlVariable} is not set (./test.sh starts a private PostgreSQL and sets it)";
        }
    }

    public static Task<TestDatabase> CreateAsync(string backend) =>
        CreateAsync(Enum.Parse<StorageBackend>(backend, ignoreCase: true));

    public static async Task<TestDatabase> CreateAsync(StorageBackend backend)
    {
        if (backend == StorageBackend.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "sb-test-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            return new TestDatabase(backend, Path.Combine(dir, "switchboard.db"), dir, null);
        }
        var admin = PostgresAdminUrl ?? throw new InvalidOperationException(
            $"{RequirePostgresVariable}=1 but {PostgresUrlVariable} is not set: the PostgreSQL test server did not start");
        var name = "sbt_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(DatabaseLocation.Parse(admin).ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }
        var uri = new UriBuilder(admin) { Path = "/" + name };
        return new TestDatabase(backend, uri.Uri.ToString().Replace("postgres://", "postgres://", StringComparison.Ordinal), null, name);
    }

    /// <summary>A new <see cref="SwitchboardDatabase"/> on this test database (the caller disposes it).</summary>
    public SwitchboardDatabase Open() => SwitchboardDatabase.FromConfigValue(ConfigValue);

    /// <summary>Opens and migrates.</summary>
    public async Task<SwitchboardDatabase> OpenMigratedAsync()
    {
        var db = Open();
        await db.MigrateAsync();
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        if (_sqliteDirectory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(_sqliteDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(DatabaseLocation.Parse(PostgresAdminUrl!).ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_postgresName} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

/// <summary>Theory data: the SQLite case (always runs).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SqliteBackendAttribute : DataAttribute
{
    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["Sqlite"]];
}

/// <summary>Theory data: the PostgreSQL case, reported as skipped (with the reason) when no test server is configured.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PostgresBackendAttribute : DataAttribute
{
    public PostgresBackendAttribute()
    {
        if (TestDatabase.PostgresSkipReason is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [["Postgres"]];
}
