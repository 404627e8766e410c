using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Switchboard.Auth;
using Switchboard.Limits;

namespace Switchboard.Storage.Keys;

/// <summary>
/// Keys the snapshot does not know yet: asked of the database by hash, so a key created on another replica is accepted
/// at once rather than after the next poll. Guarded so that random bearers cannot load the database: a token bucket
/// of <see cref="UncachedLookupsPerSecond"/> lookups, at most <see cref="UncachedLookupsInFlight"/> at a time (never
/// waited for), and a short memory of misses (<see cref="UnknownKeyMemory"/>). A lookup declined by these limits
/// refuses the key; the next poll still learns it. Keys found this way are remembered
/// until the next snapshot, which then knows them (their creation moved the change sequence).
/// </summary>
public sealed partial class KeyDirectory
{
    /// <summary>Database lookups of unknown keys allowed per second (per process), with a burst of as many.</summary>
    public const int UncachedLookupsPerSecond = 20;

    /// <summary>Database lookups of unknown keys running at once; more are refused without waiting.</summary>
    public const int UncachedLookupsInFlight = 4;

    /// <summary>How long a hash the database did not know is not asked again (a new snapshot forgets it sooner).</summary>
    public static readonly TimeSpan UnknownKeyMemory = TimeSpan.FromSeconds(2);

    private const int UnknownKeyLimit = 10_000;

    private readonly TokenBucketRateLimiter _lookupBudget = new(new TokenBucketRateLimiterOptions
    {
        TokenLimit = UncachedLookupsPerSecond,
        TokensPerPeriod = UncachedLookupsPerSecond,
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    });
    private readonly SemaphoreSlim _lookupSlots = new(UncachedLookupsInFlight, UncachedLookupsInFlight);
    // Secret hash -> when the miss is forgotten (TimeProvider timestamp).
    private readonly ConcurrentDictionary<string, long> _unknownUntil = new(StringComparer.Ordinal);
    // Replaced (not cleared) by each snapshot: a lookup that finishes after a newer snapshot writes into the old map.
    private volatile ConcurrentDictionary<string, ClientIdentity> _foundSinceSnapshot = new(StringComparer.Ordinal);

    /// <summary>Database lookups of unknown keys made so far (tests and diagnostics).</summary>
    public long UncachedLookups => Interlocked.Read(ref _uncachedLookups);

    private long _uncachedLookups;

    public async ValueTask<ClientIdentity?> FindUncachedAsync(string secret, CancellationToken cancellationToken)
    {
        var hash = HashOf(secret);
        var found = _foundSinceSnapshot;
        if (found.TryGetValue(hash, out var known)) return known;
        if (_unknownUntil.TryGetValue(hash, out var until) && _time.GetTimestamp() < until) return null;
        if (!_databaseHealthy) return null;
        using var allowed = _lookupBudget.AttemptAcquire();
        if (!allowed.IsAcquired || !_lookupSlots.Wait(0, CancellationToken.None)) return null;
        try
        {
            var snapshot = _snapshot;
            Interlocked.Increment(ref _uncachedLookups);
            var record = await _repository.FindByHashAsync(hash, cancellationToken).ConfigureAwait(false);
            if (record is null || record.IsRevoked)
            {
                RememberUnknown(hash);
                return null;
            }
            LimitSettings? teamLimits = null;
            if (record.Team is { } team && !snapshot.TeamLimits.TryGetValue(team, out teamLimits))
            {
                // A team as new as the key: read it too, so the key does not run without its team's limits.
                teamLimits = await _repository.GetTeamAsync(team, cancellationToken).ConfigureAwait(false) is { } row ? LimitsOf(row) : null;
            }
            var identity = IdentityOf(record, teamLimits);
            found[hash] = identity;
            return identity;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database is struggling: refuse the unknown key as before (the poller reports the outage).
            var kind = e.GetType().Name;
            LogUncachedLookupFailed(_logger, kind);
            return null;
        }
        finally
        {
            _lookupSlots.Release();
        }
    }

    private void RememberUnknown(string hash)
    {
        // Bounded like the hash cache: a flood of random bearers can only cost lookups (rate-limited), never memory.
        if (_unknownUntil.Count >= UnknownKeyLimit) _unknownUntil.Clear();
        _unknownUntil[hash] = _time.GetTimestamp() + (long)(UnknownKeyMemory.TotalSeconds * _time.TimestampFrequency);
    }

    /// <summary>A new snapshot: it knows every key found since the last one, and a remembered miss may exist by now.</summary>
    private void ForgetUncached()
    {
        if (!_foundSinceSnapshot.IsEmpty) _foundSinceSnapshot = new(StringComparer.Ordinal);
        if (!_unknownUntil.IsEmpty) _unknownUntil.Clear();
    }

    private void DisposeUncached()
    {
        _lookupBudget.Dispose();
        _lookupSlots.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Looking up an unknown key in the database failed ({Kind}); the key is refused")]
    private static partial void LogUncachedLookupFailed(ILogger logger, string kind);
}
