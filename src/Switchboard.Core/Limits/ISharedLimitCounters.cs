using Switchboard.Auth;

namespace Switchboard.Limits;

/// <summary>One key's or team's limits as admission sees them for one request.</summary>
public sealed record SubjectLimits(LimitScope Scope, string Id, LimitSettings Limits, BudgetWindow Period);

/// <summary>A request to reserve, atomically, against a key's and its team's shared counters.</summary>
public readonly record struct SharedAdmitRequest(SubjectLimits? Key, SubjectLimits? Team, long NowMs, long Tokens, decimal Cost);

/// <summary>What the shared counters answered: each subject's state, and the reservations if admitted.</summary>
public readonly record struct SharedAdmitResult(CounterSnapshot Key, Reservation KeyReservation, CounterSnapshot Team, Reservation TeamReservation);

/// <summary>One subject's settlement: the reservation replaced by what the request used and cost.</summary>
public readonly record struct SharedSettlement(SubjectLimits Subject, Reservation Reservation, long NowMs, long PeriodId, long ActualTokens, decimal ActualCost);

/// <summary>
/// Counters shared by every gateway process on one database (PostgreSQL), so that replicas agree on rate limits,
/// parallel limits and budgets. Admission is one atomic round trip; settlements are queued and written in batches off
/// the request path. When the database is unreachable <see cref="AdmitAsync"/> throws and admission falls back to
/// this process's own counters (see docs/limits.md).
/// </summary>
public interface ISharedLimitCounters
{
    ValueTask<SharedAdmitResult> AdmitAsync(SharedAdmitRequest request, CancellationToken cancellationToken);

    /// <summary>Queues a settlement; never blocks.</summary>
    void Settle(in SharedSettlement settlement);

    /// <summary>True for an exception that means "the shared counters are unreachable right now".</summary>
    bool IsUnavailable(Exception exception);
}
