namespace Switchboard.Storage;

/// <summary>Which database engine holds the gateway's state.</summary>
public enum StorageBackend
{
    /// <summary>An embedded SQLite file (the default, single process).</summary>
    Sqlite,
    /// <summary>A PostgreSQL server (shared by any number of gateway processes).</summary>
    Postgres,
}
