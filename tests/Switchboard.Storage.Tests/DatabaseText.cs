using System.Data.Common;

namespace Switchboard.Storage.Tests;

/// <summary>Scans every text column of every table for a string (secret-leak checks).</summary>
internal static class DatabaseText
{
    private static readonly (string Table, string[] Columns)[] TextColumns =
    [
        ("virtual_keys", ["id", "name", "secret_hash", "secret_prefix", "team", "models", "source"]),
        ("teams", ["name", "source"]),
        ("usage_ledger", ["request_id", "key_id", "key_name", "team", "endpoint", "model", "provider", "upstream_model", "error_code", "attempt_log"]),
        ("usage_hourly", ["key_id", "key_name", "team", "model", "provider"]),
        ("usage_daily", ["key_id", "key_name", "team", "model", "provider"]),
    ];

    public static async Task<bool> ContainsAsync(SwitchboardDatabase db, string needle)
    {
        await using var connection = await db.OpenAsync();
        // SQLite's spend roll-up (migration 002) holds key ids and team names; PostgreSQL has no such table.
        (string, string[])[] rollup = db.IsPostgres ? [] : [("usage_spend", ["scope", "id"])];
        foreach (var (table, columns) in TextColumns.Concat(rollup))
        {
            foreach (var column in columns)
            {
                await using var command = SwitchboardDatabase.Command(connection, $"SELECT COUNT(*) FROM {table} WHERE {column} LIKE @needle");
                command.With("@needle", "%" + needle + "%");
                if (Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0) return true;
            }
        }
        return false;
    }
}
