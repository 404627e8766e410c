using System.Diagnostics;
using Switchboard.Errors;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Streaming;

namespace Switchboard.Pipeline;

/// <summary>
/// The timeouts of one upstream attempt on one cancellation source linked to the client's own: until the first byte
/// (response headers, then the first stream event), between stream events, and in total. The client's cancel always
/// wins (it is the linked token; callers check it first). One timer is re-armed with the nearest deadline, so an
/// attempt allocates no more than the single linked source it always had. The stop's drain deadline
/// (<see cref="ShutdownDrain"/>) is linked in too: when it fires, the attempt ends with <see cref="ShutdownDrain.Error"/>.
/// </summary>
public readonly struct AttemptClock : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly long _started;
    private readonly AttemptTimeouts _timeouts;
    private readonly CancellationToken _shutdown;

    private AttemptClock(CancellationTokenSource timer, long started, AttemptTimeouts timeouts, CancellationToken shutdown)
    {
        _timer = timer;
        _started = started;
        _timeouts = timeouts;
        _shutdown = shutdown;
    }

    /// <param name="timeouts">The attempt's timeouts.</param>
    /// <param name="clientAborted">The client's own cancel (always wins).</param>
    /// <param name="shutdown">The stop's drain deadline (<see cref="ShutdownDrain.Deadline"/>); none when default.</param>
    public static AttemptClock Start(AttemptTimeouts timeouts, CancellationToken clientAborted, CancellationToken shutdown = default)
    {
        var timer = shutdown.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(clientAborted, shutdown)
            : CancellationTokenSource.CreateLinkedTokenSource(clientAborted);
        var clock = new AttemptClock(timer, Stopwatch.GetTimestamp(), timeouts, shutdown);
        clock.Arm(started: false);
        return clock;
    }

    public CancellationToken Token => _timer.Token;

    /// <summary>Time since the attempt started.</summary>
    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Arms the timer for the next wait: the first byte before anything reached the client, idle after; never past the total.</summary>
    public void Arm(bool started)
    {
        var elapsed = Elapsed;
        var remaining = _timeouts.Total - elapsed;
        var wait = started ? _timeouts.Idle : _timeouts.FirstByte - elapsed;
        if (remaining < wait) wait = remaining;
        if (wait <= TimeSpan.Zero) _timer.Cancel();
        else _timer.CancelAfter(wait);
    }

    /// <summary>The error for a timeout that fired (the client's own cancel is not one: callers check it first).</summary>
    public GatewayError TimeoutError(UpstreamProvider provider, bool started)
    {
        if (_shutdown.IsCancellationRequested) return ShutdownDrain.Error with { Provider = provider.Name };
        if (Elapsed >= _timeouts.Total - TimeSpan.FromMilliseconds(5))
        {
            return new GatewayError(504, "upstream_error", "upstream_timeout",
                $"Provider '{provider.Name}' did not finish within {Seconds(_timeouts.Total)} s.", ErrorDisposition.Retryable) { Provider = provider.Name };
        }
        return started
            ? StreamFailures.IdleTimeout(provider, _timeouts.Idle)
            : new GatewayError(504, "upstream_error", "upstream_timeout",
                $"Provider '{provider.Name}' did not answer within {Seconds(_timeouts.FirstByte)} s.", ErrorDisposition.Retryable) { Provider = provider.Name };
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose() => _timer?.Dispose();
}
