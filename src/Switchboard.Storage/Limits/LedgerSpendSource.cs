using Microsoft.Extensions.Logging;
using Switchboard.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>
/// A budget's spend so far, from the usage ledger: so spend survives restarts (SQLite, single process; with PostgreSQL
/// the shared counters read the ledger themselves). Read once per key or team and budget period.
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
        await using var command = SwitchboardDatabase.Command(connection, scope == LimitScope.Key
            ? "SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE key_id = @id AND ts_ms >= @since"
            : "SELECT COALESCE(SUM(cost_nano_usd), 0) FROM usage_ledger WHERE team = @id AND ts_ms >= @since");
        var result = await command.With("@id", id).With("@since", since.ToUnixTimeMilliseconds()).ExecuteScalarAsync(cancellationToken);
        return NanoUsd.ToUsd(Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget spend of a {Scope} could not be read from the ledger ({Reason}); counting from zero in this process")]
    private static partial void LogSpendUnknown(ILogger logger, LimitScope scope, string reason);
}
