using Switchboard.Auth;
using Switchboard.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>What a local admission against a lease found.</summary>
internal enum LeaseTake
{
    /// <summary>Admitted from the lease.</summary>
    Taken,
    /// <summary>Not enough left in the lease (or none yet): refill it.</summary>
    Empty,
    /// <summary>The subject is at its tail (slices would be smaller than a request): admit exactly.</summary>
    Tail,
}

/// <summary>Unused parts of a lease, taken out of it to be given back to the shared counters.</summary>
internal readonly record struct LeaseReturn(long WindowStartMs, int Requests, long Tokens, int Parallel, long CostNano)
{
    public bool IsEmpty => Requests == 0 && Tokens == 0 && Parallel == 0 && CostNano == 0;
}

/// <summary>What a leased settlement leaves to write to the shared counters (batched, off the request path).</summary>
/// <param name="ExtraTokens">Tokens used beyond what the lease covered: they count in the shared window.</param>
/// <param name="CostNano">The request's actual cost: added to the period's spend.</param>
/// <param name="ReleaseNano">The part of this replica's leased budget that cost used up (taken off its hold).</param>
internal readonly record struct LeaseSettlement(long ExtraTokens, long CostNano, long ReleaseNano)
{
    public bool IsEmpty => ExtraTokens == 0 && CostNano == 0 && ReleaseNano == 0;
}

/// <summary>One slice grant for one subject, as <c>sb_limit_lease</c> returned it.</summary>
internal readonly record struct LeaseGrant(bool Tail, long WindowStartMs, int RequestsUsed, long TokensUsed, int InFlight,
    long SpentNano, long ReservedNano, int Requests, long Tokens, int Parallel, long CostNano);

/// <summary>
/// This replica's lease of one key's or team's shared counters: window requests and tokens, parallel slots and budget
/// (nano-USD) granted by the database, minus what local admissions took. Admission against it is a few comparisons
/// under a small lock; every unit in it is already counted in the database, so replicas never over-admit together.
/// </summary>
internal sealed class SubjectLease(LimitScope scope, string id)
{
    /// <summary>The one-minute rate window (as in the in-process counters and migration 100).</summary>
    private const long WindowMs = 60_000;

    private readonly Lock _gate = new();
    private LimitSettings? _limits;
    private long _windowStartMs = long.MinValue;
    private int _requestsLeft;
    private long _tokensLeft;
    private int _parallelLeased;
    private int _parallelUsed;
    private long _budgetLeased;
    private long _budgetUsed;
    private long _confirmedMs = long.MinValue;
    private long _lastUseMs;
    private long _tailUntilMs = long.MinValue;
    private LeaseGrant _last;
    private int _refilling;
    private int _epoch;

    public LimitScope Scope { get; } = scope;
    public string Id { get; } = id;

    /// <summary>One synchronous refill at a time per subject: concurrent requests wait for it and use its slice.</summary>
    public SemaphoreSlim RefillGate { get; } = new(1, 1);

    /// <summary>
    /// Takes one request's share from the lease if every limited dimension has enough. Parallel slots and budget are
    /// only used while the database confirmed this replica's hold (a grant or an unbroken chain of heartbeats) after
    /// <paramref name="confirmedAfterMs"/>: an older hold may have expired and its capacity gone to other replicas.
    /// </summary>
    public LeaseTake TryTake(SubjectLimits subject, long nowMs, long tokens, long costNano, long confirmedAfterMs,
        out Reservation reservation, out CounterSnapshot snapshot, out bool lowWater)
    {
        var limits = subject.Limits;
        var reserveTokens = limits.Tpm is { } tpm ? Math.Min(tokens, tpm) : tokens;
        lock (_gate)
        {
            reservation = default;
            snapshot = default;
            lowWater = false;
            if (!Equals(_limits, limits)) return LeaseTake.Empty; // limits changed: the refill path gives the old lease back
            var windowOpen = nowMs < _windowStartMs + WindowMs;
            var confirmed = _confirmedMs >= confirmedAfterMs;
            var fits = (limits.Rpm is null || (windowOpen && _requestsLeft >= 1))
                && (limits.Tpm is null || (windowOpen && _tokensLeft >= reserveTokens))
                && (limits.MaxParallel is null || (confirmed && _parallelLeased - _parallelUsed >= 1))
                && (limits.BudgetUsd is null || (confirmed && _budgetLeased - _budgetUsed >= costNano));
            if (!fits) return nowMs < _tailUntilMs ? LeaseTake.Tail : LeaseTake.Empty;
            if (limits.Rpm is not null) _requestsLeft--;
            if (limits.Tpm is not null) _tokensLeft -= reserveTokens;
            _parallelUsed++;
            _budgetUsed += costNano;
            _lastUseMs = nowMs;
            reservation = new Reservation(_windowStartMs, limits.Tpm is null ? 0 : reserveTokens, NanoUsd.ToUsd(costNano), subject.Period.Id, Leased: true, LeaseEpoch: _epoch);
            snapshot = Snapshot();
            lowWater = nowMs >= _tailUntilMs && Volatile.Read(ref _refilling) == 0 && (
                (limits.Rpm is not null && _requestsLeft < _last.Requests * LowWaterFraction)
                || (limits.Tpm is not null && _tokensLeft < _last.Tokens * LowWaterFraction)
                || (limits.MaxParallel is not null && _parallelLeased - _parallelUsed < _last.Parallel * LowWaterFraction)
                || (limits.BudgetUsd is not null && _budgetLeased - _budgetUsed < _last.CostNano * LowWaterFraction));
            return LeaseTake.Taken;
        }
    }

    /// <summary>Set from the options; the same for every lease of a process.</summary>
    public double LowWaterFraction { get; init; } = 0.5;

    /// <summary>Takes back a leased reservation whose request never ran (the other subject refused it).</summary>
    public void Undo(in Reservation reservation, long costNano)
    {
        lock (_gate)
        {
            if (reservation.WindowStartMs == _windowStartMs)
            {
                if (_limits?.Rpm is not null) _requestsLeft++;
                _tokensLeft += reservation.Tokens;
            }
            if (reservation.LeaseEpoch != _epoch) return;
            _parallelUsed--;
            _budgetUsed -= costNano;
        }
    }

    /// <summary>
    /// Replaces a leased reservation with what the request used: unused tokens and budget go back into the lease at
    /// once; the cost (and tokens beyond what the lease covered) must be written to the shared counters.
    /// </summary>
    public LeaseSettlement Settle(in Reservation reservation, long nowMs, long actualTokens, long reservedNano, long actualNano, bool countTokens)
    {
        lock (_gate)
        {
            long extra = 0;
            if (reservation.WindowStartMs == _windowStartMs && nowMs < _windowStartMs + WindowMs)
            {
                if (countTokens)
                {
                    _tokensLeft += reservation.Tokens - actualTokens;
                    if (_tokensLeft < 0) { extra = -_tokensLeft; _tokensLeft = 0; }
                }
            }
            else if (countTokens)
            {
                extra = actualTokens; // the reservation's window is over: the tokens count in the current one
            }
            if (reservation.LeaseEpoch != _epoch) return new LeaseSettlement(extra, actualNano, 0); // its hold was reset
            _parallelUsed--;
            _budgetUsed -= reservedNano;
            // Spent out of the slice: the database moves the same amount from this replica's hold to the spend.
            var release = Math.Min(Math.Max(0, _budgetLeased), actualNano);
            _budgetLeased -= release;
            return new LeaseSettlement(extra, actualNano, release);
        }
    }

    /// <summary>Adds a slice the database granted (or marks the subject at its tail).</summary>
    public void Grant(SubjectLimits subject, in LeaseGrant grant, long nowMs, long tailRecheckMs)
    {
        lock (_gate)
        {
            _limits = subject.Limits;
            if (grant.WindowStartMs != _windowStartMs)
            {
                _windowStartMs = grant.WindowStartMs;
                _requestsLeft = 0;
                _tokensLeft = 0;
            }
            _requestsLeft += grant.Requests;
            _tokensLeft += grant.Tokens;
            _parallelLeased += grant.Parallel;
            _budgetLeased += grant.CostNano;
            _confirmedMs = nowMs;
            _lastUseMs = nowMs; // a fresh slice is not idle
            _tailUntilMs = grant.Tail ? nowMs + tailRecheckMs : long.MinValue;
            // Concurrent grants (a background and a synchronous refill) may arrive out of order: within one window the
            // later state has used at least as much, so the headers never count back up.
            var sameWindow = _last.WindowStartMs == grant.WindowStartMs;
            _last = sameWindow
                ? grant with { RequestsUsed = Math.Max(grant.RequestsUsed, _last.RequestsUsed), TokensUsed = Math.Max(grant.TokensUsed, _last.TokensUsed) }
                : grant;
        }
    }

    /// <summary>True when the lease was granted under other limits than these (an admin changed them).</summary>
    public bool LimitsChanged(LimitSettings limits)
    {
        lock (_gate) return _limits is not null && !Equals(_limits, limits);
    }

    /// <summary>
    /// Takes out whatever is unused (all of it, or only when idle since <paramref name="idleBeforeMs"/>), for
    /// <c>sb_limit_lease_return</c>. Window units are only worth returning while their window is current.
    /// </summary>
    public LeaseReturn TakeUnused(long nowMs, long idleBeforeMs = long.MaxValue)
    {
        lock (_gate)
        {
            if (_lastUseMs > idleBeforeMs) return default;
            var windowOpen = nowMs < _windowStartMs + WindowMs;
            var unused = new LeaseReturn(_windowStartMs, windowOpen ? Math.Max(0, _requestsLeft) : 0, windowOpen ? Math.Max(0, _tokensLeft) : 0,
                Math.Max(0, _parallelLeased - _parallelUsed), Math.Max(0, _budgetLeased - _budgetUsed));
            _requestsLeft -= unused.Requests;
            _tokensLeft -= unused.Tokens;
            _parallelLeased -= unused.Parallel;
            _budgetLeased -= unused.CostNano;
            if (unused.Parallel > 0 || unused.CostNano > 0) _last = _last with { Parallel = 0, CostNano = 0 };
            return unused;
        }
    }

    /// <summary>Puts back what could not be returned (the database was unreachable), so it is not lost.</summary>
    public void Restore(in LeaseReturn unused)
    {
        lock (_gate)
        {
            if (unused.WindowStartMs == _windowStartMs)
            {
                _requestsLeft += unused.Requests;
                _tokensLeft += unused.Tokens;
            }
            _parallelLeased += unused.Parallel;
            _budgetLeased += unused.CostNano;
        }
    }

    /// <summary>
    /// A heartbeat sent at <paramref name="sentMs"/> refreshed this replica's holds. It confirms the lease only if the
    /// previous confirmation is recent enough (after <paramref name="previousAfterMs"/>, half the stale interval): a
    /// hold that went unconfirmed longer may have expired in between, so the chain is broken and the lease's slots
    /// and budget are given back before the next grant instead.
    /// </summary>
    public void Confirm(long sentMs, long previousAfterMs)
    {
        lock (_gate)
        {
            if (_confirmedMs >= previousAfterMs) _confirmedMs = Math.Max(_confirmedMs, sentMs);
        }
    }

    /// <summary>
    /// If the lease holds slots or budget that the database has not confirmed since <paramref name="afterMs"/>, forfeits
    /// them (the next grant resets this replica's lease row instead of adding to it) and returns true. Requests in
    /// flight from the forfeited lease settle without giving anything back to the new one.
    /// </summary>
    public bool ForfeitIfUnconfirmed(long afterMs)
    {
        lock (_gate)
        {
            if (_confirmedMs >= afterMs || (_parallelLeased == 0 && _budgetLeased == 0 && _parallelUsed == 0 && _budgetUsed == 0)) return false;
            _parallelLeased = _parallelUsed = 0;
            _budgetLeased = _budgetUsed = 0;
            _epoch++;
            return true;
        }
    }

    /// <summary>Claims the background refill (false if one is already running).</summary>
    public bool BeginRefill() => Interlocked.CompareExchange(ref _refilling, 1, 0) == 0;

    public void EndRefill() => Volatile.Write(ref _refilling, 0);

    /// <summary>
    /// The subject as the headers show it: the shared counters at the last grant, with this replica's unused lease
    /// counted as still available (other replicas' leases count as used until they are used or returned).
    /// </summary>
    private CounterSnapshot Snapshot() => new(LimitRefusal.None,
        _last.RequestsUsed - Math.Max(0, _requestsLeft), _last.TokensUsed - Math.Max(0, _tokensLeft), _windowStartMs + WindowMs,
        _last.InFlight - Math.Max(0, _parallelLeased - _parallelUsed), NanoUsd.ToUsd(_last.SpentNano),
        NanoUsd.ToUsd(Math.Max(0, _last.ReservedNano - (_budgetLeased - _budgetUsed))));
}
