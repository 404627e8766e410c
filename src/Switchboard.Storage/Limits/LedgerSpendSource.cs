using Microsoft.Extensions.Logging;
using Switchboard.Limits;
using Switchboard.Storage.Usage;

namespace Switchboard.Storage.Limits;

/// <summary>
/// A budget's spend so far, from the usage ledger: so spend survives restarts (SQLite, single process; with PostgreSQL
/// the shared counters read the ledger themselves). Read once per key or team and budget period. On SQLite it reads the
/// ledger's spend roll-up (<see cref="SqliteSpendRollup"/>), which the ledger writer keeps in the same transaction.
/// </summary>
public sealed partial class LedgerSpendSource(SwitchboardDatabase database, ILogger<LedgerSpendSource> logger) : ISpendSource
{
    public async ValueTask<decimal> SpentSinceAsync(LimitScope scope, string id, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadAsync(scope, id, since, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException && ex is not OperationCanceledException)
        {
            // Traffic goes on when the database is unreachable; the budget then counts from this process's start.
            LogSpendUnknown(logger, scope, ex.Message);
            return 0m;
        }
    }

    private async Task<decimal> ReadAsync(LimitScope scope, string id, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        if (!database.IsPostgres && SqliteSpendRollup.IsDayStart(since))
        {
            // Every budget period starts at a UTC midnight: the roll-up answers it without touching the ledger.
            var scopeName = scope == LimitScope.Key ? SqliteSpendRollup.KeyScope : SqliteSpendRollup.TeamScope;
            return NanoUsd.ToUsd(await SqliteSpendRollup.SpentSinceAsync(connection, scopeName, id, since, cancellationToken));
        }
        // Any other start (and PostgreSQL, which indexes the ledger by key and team): sum the ledger's rows.
        await using var command = SwitchboardDatabase.Command(connection, scope == LimitScope.Key
            ? "SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE key_id = @id AND ts_ms >= @since"
            : "SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE team = @id AND ts_ms >= @since");
        var result = await command.With("@id", id).With("@since", since.ToUnixTimeMilliseconds()).ExecuteScalarAsync(cancellationToken);
        return NanoUsd.ToUsd(Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget spend of a {Scope} could not be read from the ledger ({Reason}); counting from zero in this process")]
    private static partial void LogSpendUnknown(ILogger logger, LimitScope scope, string reason);
}
