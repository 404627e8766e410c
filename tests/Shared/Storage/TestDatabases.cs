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

/// <summary>
/// A private PostgreSQL cluster of a test's own (tools/postgres/test-cluster.sh), for tests that stop and restart the
/// server: stopping the shared test server would disturb every other test.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _dir;

    private PrivatePostgres(string dir, string url)
    {
        _dir = dir;
        AdminUrl = url;
    }

    public string AdminUrl { get; }

    /// <summary>The URL of the cluster's <c>postgres</c> database (the tests use it directly).</summary>
    public string Url => AdminUrl;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "sb-pg-" + Guid.NewGuid().ToString("N")[..10]);
        var url = (await RunAsync("start", dir)).Trim();
        return new PrivatePostgres(dir, url);
    }

    /// <summary>Stops the server (connections drop, new ones are refused).</summary>
    public Task StopServerAsync() => RunAsync("pause", _dir);

    /// <summary>Starts it again on the same port with the same data.</summary>
    public Task StartServerAsync() => RunAsync("resume", _dir);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await RunAsync("stop", _dir);
    }

    private static async Task<string> RunAsync(string command, string dir)
    {
        var psi = new System.Diagnostics.ProcessStartInfo("bash", [Script, command, dir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"test-cluster.sh {command} failed: {await stderr}");
        return await stdout;
    }

    private static string Script
    {
        get
        {
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "tools", "postgres", "test-cluster.sh");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("tools/postgres/test-cluster.sh not found above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>A fact that needs PostgreSQL binaries (a private cluster); skipped with the reason like the backend theories.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestDatabase.PostgresSkipReason is { } reason) Skip = reason;
    }
}
