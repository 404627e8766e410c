using Microsoft.Extensions.Logging;

namespace Switchboard.Storage.Limits;

/// <summary>The background side: heartbeat of what this replica holds, giving idle slices back, graceful stop and logs.</summary>
public sealed partial class PostgresLimitCounters
{
    /// <summary>
    /// Every tick: gives back slices idle for <see cref="LimitLeaseOptions.ReturnIdleAfter"/>, and every
    /// <see cref="LimitLeaseOptions.HeartbeatEvery"/> refreshes the heartbeat of what this replica holds.
    /// </summary>
    private async Task HeartbeatAsync(CancellationToken stopping)
    {
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10,
            Math.Min(_options.HeartbeatEvery.Ticks, _options.ReturnIdleAfter.Ticks / 2)));
        using var timer = new PeriodicTimer(tick, time);
        var lastBeat = long.MinValue;
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                try
                {
                    if (_options.Enabled) await ReturnUnusedAsync(now, stopping, idleBeforeMs: now - (long)_options.ReturnIdleAfter.TotalMilliseconds);
                    if (now - lastBeat >= (long)_options.HeartbeatEvery.TotalMilliseconds)
                    {
                        await HeartbeatOnceAsync(now, stopping);
                        lastBeat = now;
                    }
                }
                catch (Exception ex) when (IsUnavailable(ex))
                {
                    LogHeartbeatFailed(logger, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Gives back every lease's unused slices, of leases idle since before <paramref name="idleBeforeMs"/> (all by default).</summary>
    private async Task ReturnUnusedAsync(long nowMs, CancellationToken cancellationToken, long idleBeforeMs = long.MaxValue)
    {
        var returns = new List<(SubjectLease, LeaseReturn)>();
        foreach (var lease in _leases.Values) returns.Add((lease, lease.TakeUnused(nowMs, idleBeforeMs)));
        await ReturnAsync(returns, nowMs, cancellationToken);
    }

    private async Task HeartbeatOnceAsync(long sentMs, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        // Only holds that have not expired yet are refreshed: an expired one may have had its capacity handed to other
        // replicas, so reviving it would count it twice (the lease that held it is forfeited instead).
        await using var command = SwitchboardDatabase.Command(connection,
            "UPDATE limit_holds SET heartbeat_ms = @now WHERE replica IN (@replica, @holder) AND heartbeat_ms >= @now - @stale " +
            "AND (in_flight > 0 OR reserved_nano_usd > 0)");
        await command.With("@now", sentMs).With("@replica", ReplicaId).With("@holder", LeaseHolder).With("@stale", StaleMs)
            .ExecuteNonQueryAsync(cancellationToken);
        var previousAfter = sentMs - StaleMs / 2;
        foreach (var lease in _leases.Values) lease.Confirm(sentMs, previousAfter);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Graceful stop: every queued settlement is written and every unused slice given back (or given up after the
    /// host's shutdown timeout; the heartbeat expiry then frees them).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _settlements.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is not null) await _writer.WaitAsync(cancellationToken);
        if (_heartbeat is not null) await _heartbeat.WaitAsync(cancellationToken);
        if (_leases.IsEmpty) return;
        try
        {
            await ReturnUnusedAsync(time.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            LogReturnFailed(logger, ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered under two service types, so the container disposes it twice: only the first call does anything.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _settlements.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is not null) await _writer.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared limit counters: {Count} settlements not written yet ({Reason}); retrying")]
    private static partial void LogSettleRetry(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared limit counters unreachable ({Reason}): this process enforces limits on its own until they are back")]
    private static partial void LogAdmitDegraded(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared limit counters: unused leases not given back at stop ({Reason}); they expire with the heartbeat")]
    private static partial void LogReturnFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared limit counters: heartbeat failed ({Reason})")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}
