namespace Switchboard.Storage.Limits;

/// <summary>
/// How a replica leases slices of the shared limit counters (docs/limits.md, "Several replicas"). The defaults suit
/// production; tests shorten the intervals instead of sleeping.
/// </summary>
public sealed record LimitLeaseOptions
{
    /// <summary>False = every admission of a limited key is one exact round trip (<c>sb_limit_admit</c>), as before leases.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Holds and leases of a replica whose heartbeat is older than this stop counting (it is presumed dead).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a replica refreshes the heartbeat of what it holds.</summary>
    public TimeSpan HeartbeatEvery { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Parallel slots, budget and window units leased but unused for this long are given back.</summary>
    public TimeSpan ReturnIdleAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>After the database said a subject is at its tail, admit it exactly for this long before asking again.</summary>
    public TimeSpan TailRecheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A slice is what remains / (this × live replicas).</summary>
    public int SliceDivisor { get; init; } = 4;

    /// <summary>Refill in the background when what is left of a slice falls below this fraction of it.</summary>
    public double LowWater { get; init; } = 0.5;
}
