using Microsoft.Data.Sqlite;
using Npgsql;

namespace Switchboard.Storage;

/// <summary>
/// The <c>database:</c> config value, parsed: a file path means SQLite, a <c>postgres://</c> or <c>postgresql://</c> URL
/// means PostgreSQL. <see cref="Display"/> is safe to log (no password); <see cref="ConnectionString"/> never is.
/// </summary>
public sealed record DatabaseLocation
{
    private DatabaseLocation(StorageBackend backend, string connectionString, string display, string? sqlitePath)
    {
        Backend = backend;
        ConnectionString = connectionString;
        Display = display;
        SqlitePath = sqlitePath;
    }

    public StorageBackend Backend { get; }

    /// <summary>The ADO.NET connection string. Contains the password for PostgreSQL: never log it.</summary>
    public string ConnectionString { get; }

    /// <summary>A description safe for logs and errors (password removed).</summary>
    public string Display { get; }

    /// <summary>The absolute SQLite file path (SQLite only).</summary>
    public string? SqlitePath { get; }

    /// <summary>Default when the config says nothing.</summary>
    public const string DefaultValue = "data/switchboard.db";

    /// <summary>
    /// Parses <paramref name="value"/>. Relative SQLite paths resolve against <paramref name="baseDirectory"/>
    /// (the working directory by default). Throws <see cref="FormatException"/> with a message free of secrets.
    /// </summary>
    public static DatabaseLocation Parse(string? value, string? baseDirectory = null)
    {
        value = string.IsNullOrWhiteSpace(value) ? DefaultValue : value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return ParsePostgres(value);
        }
        var path = Path.GetFullPath(value, baseDirectory ?? Directory.GetCurrentDirectory());
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        };
        return new DatabaseLocation(StorageBackend.Sqlite, builder.ToString(), "sqlite:" + path, path);
    }

    private static DatabaseLocation ParsePostgres(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new FormatException("database: expected postgres://user:password@host:port/database");
        }
        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            throw new FormatException($"database: the PostgreSQL URL for host {uri.Host} names no database (postgres://user:password@host:port/database)");
        }
        var (user, password) = SplitUserInfo(uri.UserInfo);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            Username = user,
            Password = password,
            // Failing fast keeps a dead database from holding up startup or the ledger writer for long.
            Timeout = 5,
            CommandTimeout = 30,
            ApplicationName = "switchboard",
            MaxPoolSize = 20,
        };
        ApplyQuery(builder, uri.Query);
        var display = $"postgres://{(user is null ? "" : user + "@")}{builder.Host}:{builder.Port}/{database}";
        return new DatabaseLocation(StorageBackend.Postgres, builder.ConnectionString, display, null);
    }

    private static (string? User, string? Password) SplitUserInfo(string userInfo)
    {
        if (userInfo.Length == 0) return (null, null);
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? (Uri.UnescapeDataString(userInfo), null)
            : (Uri.UnescapeDataString(userInfo[..colon]), Uri.UnescapeDataString(userInfo[(colon + 1)..]));
    }

    /// <summary>Supports the common libpq URL parameters (sslmode, and any Npgsql keyword such as "Timeout").</summary>
    private static void ApplyQuery(NpgsqlConnectionStringBuilder builder, string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var val = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (string.Equals(name, "sslmode", StringComparison.OrdinalIgnoreCase) && Enum.TryParse<SslMode>(val.Replace("-", "", StringComparison.Ordinal), true, out var ssl))
            {
                builder.SslMode = ssl;
                continue;
            }
            try
            {
                builder[name] = val;
            }
            catch (ArgumentException)
            {
                throw new FormatException($"database: unknown PostgreSQL URL parameter '{name}'");
            }
        }
    }

    public override string ToString() => Display;
}
