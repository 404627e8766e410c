using Switchboard.Errors;

namespace Switchboard.Routing;

/// <summary>Where a deployment stands with the circuit breaker.</summary>
public enum HealthState
{
    /// <summary>Serving normally.</summary>
    Healthy,
    /// <summary>Taken out after failures (or a long Retry-After) until its cooldown ends.</summary>
    CoolingDown,
    /// <summary>Cooldown over: one probe request is let through; its success brings the deployment back.</summary>
    HalfOpen,
}

/// <summary>
/// The passive health of one upstream deployment (provider + upstream model): in-flight count, consecutive failures,
/// cooldown, a moving average of time to first token, the latest error. Mutable state, kept outside the immutable
/// runtime (see <see cref="DeploymentHealthRegistry"/>) so it survives config reloads. Lock-free: only Interlocked and
/// volatile fields; two racing updates of the latency average may lose one sample, which an average tolerates.
/// </summary>
public sealed class DeploymentHealth(string provider, string model)
{
    /// <summary>Weight of the newest sample in the latency average.</summary>
    public const double LatencySmoothing = 0.3;

    private int _inFlight;
    private int _consecutiveFailures;
    private long _cooldownUntilTicks; // UTC ticks; 0 = not cooling down
    private int _probeTaken;
    private long _latencyBits = BitConverter.DoubleToInt64Bits(double.NaN);
    private long _latencySamples;
    private long _successes;
    private long _failures;
    private volatile RecentError? _lastError;

    public string Provider { get; } = provider;
    public string Model { get; } = model;

    public int InFlight => Volatile.Read(ref _inFlight);
    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);
    public long Successes => Interlocked.Read(ref _successes);
    public long Failures => Interlocked.Read(ref _failures);
    public long LatencySamples => Interlocked.Read(ref _latencySamples);
    /// <summary>Moving average of time to first token in ms; NaN until a request succeeded.</summary>
    public double LatencyEwmaMs => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _latencyBits));
    public RecentError? LastError => _lastError;

    /// <summary>End of the current cooldown, or null.</summary>
    public DateTimeOffset? CooldownUntil =>
        Interlocked.Read(ref _cooldownUntilTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public HealthState StateAt(DateTimeOffset now)
    {
        var until = Interlocked.Read(ref _cooldownUntilTicks);
        if (until == 0) return HealthState.Healthy;
        return now.UtcTicks < until ? HealthState.CoolingDown : HealthState.HalfOpen;
    }

    /// <summary>
    /// Whether a request may go to this deployment now: always when healthy; after the cooldown only as the one probe
    /// (the caller must then report the attempt's result, which releases the probe).
    /// </summary>
    public bool TryAdmit(DateTimeOffset now) => StateAt(now) switch
    {
        HealthState.Healthy => true,
        HealthState.HalfOpen => Interlocked.CompareExchange(ref _probeTaken, 1, 0) == 0,
        _ => false,
    };

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Exit() => Interlocked.Decrement(ref _inFlight);

    /// <summary>A success closes the circuit and feeds the latency average.</summary>
    public void ReportSuccess(TimeSpan? timeToFirstByte)
    {
        Interlocked.Increment(ref _successes);
        Volatile.Write(ref _consecutiveFailures, 0);
        Interlocked.Exchange(ref _cooldownUntilTicks, 0);
        Volatile.Write(ref _probeTaken, 0);
        if (timeToFirstByte is { } sample)
        {
            var ms = sample.TotalMilliseconds;
            var old = LatencyEwmaMs;
            var next = double.IsNaN(old) ? ms : old + LatencySmoothing * (ms - old);
            Interlocked.Exchange(ref _latencyBits, BitConverter.DoubleToInt64Bits(next));
            Interlocked.Increment(ref _latencySamples);
        }
    }

    /// <summary>
    /// A failure of the deployment (never the client's fault): counts towards the cooldown; a failed probe or
    /// <paramref name="failuresToTrip"/> consecutive failures start one; a Retry-After makes it at least that long.
    /// </summary>
    public void ReportFailure(GatewayError error, DateTimeOffset now, int failuresToTrip, TimeSpan cooldown)
    {
        Interlocked.Increment(ref _failures);
        _lastError = new RecentError(error.Status, error.Code ?? error.Type, error.Message, now);
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        var wasProbe = Interlocked.Exchange(ref _probeTaken, 0) == 1;
        TimeSpan? outFor = null;
        if (wasProbe || failures >= failuresToTrip) outFor = cooldown;
        if (error.RetryAfter is { } retryAfter && (outFor is null || retryAfter > outFor)) outFor = retryAfter;
        if (outFor is { } period && period > TimeSpan.Zero)
        {
            Interlocked.Exchange(ref _cooldownUntilTicks, (now + period).UtcTicks);
        }
    }

    /// <summary>Releases a probe whose attempt ended without saying anything about the deployment (client gone).</summary>
    public void ReleaseProbe() => Volatile.Write(ref _probeTaken, 0);
}

/// <summary>The latest failure of a deployment, for the admin API (messages are already scrubbed of secrets).</summary>
public sealed record RecentError(int Status, string Code, string Message, DateTimeOffset At);
