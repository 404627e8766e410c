using Microsoft.Extensions.Logging;
using Switchboard.Limits;
using Switchboard.Storage.Usage;

namespace Switchboard.Storage.Limits;

/// <summary>
/// A budget's spend so far, from the usage ledger: so spend survives restarts (SQLite, single process; with PostgreSQL
/// the shared counters read the ledger themselves). Read once per key or team and budget period, through
/// <see cref="UsageQueries.SpentSinceAsync"/> (on SQLite: the ledger's spend roll-up, kept by the ledger writer).
/// </summary>
public sealed partial class LedgerSpendSource(SwitchboardDatabase database, ILogger<LedgerSpendSource> logger) : ISpendSource
{
    private readonly UsageQueries _usage = new(database);

    public async ValueTask<decimal> SpentSinceAsync(LimitScope scope, string id, DateTimeOffset since, CancellationToken cancellationToken)
    {
        try
        {
            return await _usage.SpentSinceAsync(scope, id, since, cancellationToken);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException && ex is not OperationCanceledException)
        {
            // Traffic goes on when the database is unreachable; the budget then counts from this process's start.
            LogSpendUnknown(logger, scope, ex.Message);
            return 0m;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Budget spend of a {Scope} could not be read from the ledger ({Reason}); counting from zero in this process")]
    private static partial void LogSpendUnknown(ILogger logger, LimitScope scope, string reason);
}
