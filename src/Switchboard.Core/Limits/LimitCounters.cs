using Switchboard.Auth;

namespace Switchboard.Limits;

/// <summary>Why admission refused a request.</summary>
public enum LimitRefusal
{
    None,
    Requests,
    Tokens,
    Parallel,
    Budget,
}

/// <summary>
/// What one subject (a key or a team) reserved for one request; handed back when the request settles.
/// <paramref name="Leased"/>: taken from this replica's lease of the shared counters (settled locally) rather than
/// reserved in them directly; <paramref name="LeaseEpoch"/> tells a lease that was since forfeited from the current one.
/// </summary>
public readonly record struct Reservation(long WindowStartMs, long Tokens, decimal Cost, long PeriodId, bool Leased = false, int LeaseEpoch = 0);

/// <summary>A subject's state as a reservation left it, for the <c>x-ratelimit-*</c> headers and the refusal message.</summary>
public readonly record struct CounterSnapshot(
    LimitRefusal Refusal, int RequestsUsed, long TokensUsed, long WindowEndMs, int InFlight, decimal Spent, decimal Reserved);

/// <summary>
/// The live counters of one key or one team in this process: a one-minute request and token window, the requests in
/// flight, and the budget period's settled spend plus the worst-case cost of the requests still running.
/// </summary>
/// <remarks>
/// One small lock per subject (striped per key): requests of different keys never contend, and the critical section is
/// a handful of comparisons and additions, so requests of one key do not form a convoy. A lock rather than separate
/// interlocked counters because the checks must be all-or-nothing: a request refused for tokens must not have taken
/// a request slot.
/// The window starts with the first request after the previous one ended (fixed windows aligned to the subject's
/// traffic, not to the clock): exactly <c>rpm</c> requests fit in any window; across a window boundary up to twice
/// that can pass within 60 seconds, as with every fixed-window limiter.
/// </remarks>
internal sealed class LimitCounters
{
    public const long WindowMs = 60_000;

    private readonly Lock _gate = new();
    private long _windowStartMs = long.MinValue;
    private int _requests;
    private long _tokens;
    private int _inFlight;
    private long _periodId = long.MinValue;
    private decimal _spent;
    private decimal _reserved;

    /// <summary>False until the budget's spend so far has been read from the ledger (once per process and period).</summary>
    public bool SpendLoaded(long periodId) => Volatile.Read(ref _periodId) == periodId;

    /// <summary>Sets the period's spend as recorded before this process started (only if still unset).</summary>
    public void InitialiseSpend(long periodId, decimal spent)
    {
        lock (_gate)
        {
            if (_periodId == periodId) return;
            _periodId = periodId;
            _spent = spent;
        }
    }

    /// <summary>Checks every limit and, if all pass, reserves a request slot, the tokens, a parallel slot and the cost.</summary>
    public CounterSnapshot TryReserve(LimitSettings limits, long nowMs, long periodId, long tokens, decimal cost, out Reservation reservation)
    {
        lock (_gate)
        {
            RollWindow(nowMs);
            RollPeriod(periodId);
            var windowEnd = _windowStartMs + WindowMs;
            // A request larger than the whole minute's allowance may still run alone in an empty window.
            var reserveTokens = limits.Tpm is { } tpm ? Math.Min(tokens, tpm) : tokens;
            var refusal =
                limits.Rpm is { } rpm && _requests + 1 > rpm ? LimitRefusal.Requests
                : limits.Tpm is { } tpmLimit && _tokens + reserveTokens > tpmLimit ? LimitRefusal.Tokens
                : limits.MaxParallel is { } parallel && _inFlight + 1 > parallel ? LimitRefusal.Parallel
                : limits.BudgetUsd is { } budget && _spent + _reserved + cost > budget ? LimitRefusal.Budget
                : LimitRefusal.None;
            if (refusal != LimitRefusal.None)
            {
                reservation = default;
                return new CounterSnapshot(refusal, _requests, _tokens, windowEnd, _inFlight, _spent, _reserved);
            }
            _requests++;
            _tokens += reserveTokens;
            _inFlight++;
            _reserved += cost;
            reservation = new Reservation(_windowStartMs, reserveTokens, cost, periodId);
            return new CounterSnapshot(LimitRefusal.None, _requests, _tokens, windowEnd, _inFlight, _spent, _reserved);
        }
    }

    /// <summary>Takes back a reservation whose request never ran (another subject refused it).</summary>
    public void Undo(in Reservation reservation)
    {
        lock (_gate)
        {
            if (_windowStartMs == reservation.WindowStartMs)
            {
                _requests--;
                _tokens -= reservation.Tokens;
            }
            _inFlight--;
            _reserved -= reservation.Cost;
        }
    }

    /// <summary>Replaces a reservation with what the request really used and cost.</summary>
    public void Settle(in Reservation reservation, long nowMs, long periodId, long actualTokens, decimal actualCost)
    {
        lock (_gate)
        {
            if (_windowStartMs == reservation.WindowStartMs && nowMs < _windowStartMs + WindowMs)
            {
                _tokens += actualTokens - reservation.Tokens;
            }
            else
            {
                // The reservation's window is over: the tokens were produced now, so they count in the current one.
                RollWindow(nowMs);
                _tokens += actualTokens;
            }
            _inFlight--;
            _reserved -= reservation.Cost;
            RollPeriod(periodId);
            _spent += actualCost;
        }
    }

    private void RollWindow(long nowMs)
    {
        if (nowMs >= _windowStartMs + WindowMs || _windowStartMs == long.MinValue)
        {
            _windowStartMs = nowMs;
            _requests = 0;
            _tokens = 0;
        }
    }

    private void RollPeriod(long periodId)
    {
        if (periodId != _periodId)
        {
            _periodId = periodId;
            _spent = 0;
        }
    }
}
