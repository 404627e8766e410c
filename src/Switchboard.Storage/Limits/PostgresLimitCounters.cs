using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>
/// Rate-limit, parallel and budget counters shared by every gateway process on one PostgreSQL database (migration 100).
/// Admission is one round trip (<c>sb_limit_admit</c>: the key's and the team's rows locked, checked and reserved in one
/// transaction, so replicas never over-admit); settlements are queued and written in batches by a background loop, off
/// the request path. Until a settlement lands the reservation keeps counting, which can only refuse, never overspend.
/// Each replica's in-flight requests are held under its own id with a heartbeat, so a replica that dies stops holding
/// parallel slots and budget after <see cref="StaleAfter"/>.
/// </summary>
public sealed partial class PostgresLimitCounters(SwitchboardDatabase database, TimeProvider time, ILogger<PostgresLimitCounters> logger)
    : ISharedLimitCounters, IHostedService, IAsyncDisposable
{
    /// <summary>Holds not refreshed for this long belong to a replica that is gone.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan HeartbeatEvery = TimeSpan.FromSeconds(5);
    private const int MaxBatch = 256;

    private readonly Channel<SharedSettlement> _settlements = Channel.CreateUnbounded<SharedSettlement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writer;
    private long _pending;
    private int _disposed;
    private Task? _heartbeat;

    /// <summary>This process's id in <c>limit_holds</c>.</summary>
    public string ReplicaId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..12]}";

    public async ValueTask<SharedAdmitResult> AdmitAsync(SharedAdmitRequest request, CancellationToken cancellationToken)
    {
        EnsureStarted();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SwitchboardDatabase.Command(connection,
            "SELECT * FROM sb_limit_admit(@replica, @now, @tokens, @cost, @stale, " +
            "@k, @k_rpm, @k_tpm, @k_par, @k_budget, @k_period, @k_period_start, " +
            "@t, @t_rpm, @t_tpm, @t_par, @t_budget, @t_period, @t_period_start)");
        command.With("@replica", ReplicaId).With("@now", request.NowMs).With("@tokens", request.Tokens)
            .With("@cost", NanoUsd.Ceiling(request.Cost)).With("@stale", (long)StaleAfter.TotalMilliseconds);
        AddSubject(command, "@k", request.Key);
        AddSubject(command, "@t", request.Team);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var key = request.Key is null ? (default, default) : Read(reader, 0, request.Cost, request.Key.Period.Id);
        var team = request.Team is null || reader.IsDBNull(8) ? (default, default) : Read(reader, 8, request.Cost, request.Team.Period.Id);
        return new SharedAdmitResult(key.Item1, key.Item2, team.Item1, team.Item2);
    }

    public void Settle(in SharedSettlement settlement)
    {
        Interlocked.Increment(ref _pending);
        if (!_settlements.Writer.TryWrite(settlement)) Interlocked.Decrement(ref _pending);
    }

    /// <summary>Settlements queued or being written (0 once every finished request is reflected in the shared counters).</summary>
    public long PendingSettlements => Interlocked.Read(ref _pending);

    public bool IsUnavailable(Exception exception)
    {
        // A SQL error (PostgresException) is a bug to surface, not an outage to ride out.
        var unavailable = SwitchboardDatabase.IsTransient(exception) || exception is NpgsqlException and not PostgresException or TimeoutException;
        if (unavailable) LogAdmitDegraded(logger, exception.Message);
        return unavailable;
    }

    private static void AddSubject(DbCommand command, string prefix, SubjectLimits? subject)
    {
        var limits = subject?.Limits;
        // Typed explicitly: a NULL argument of a function call needs a type to pick the overload.
        Add(command, prefix, subject?.Id, NpgsqlDbType.Text);
        Add(command, prefix + "_rpm", limits?.Rpm, NpgsqlDbType.Integer);
        Add(command, prefix + "_tpm", limits?.Tpm is { } tpm ? (long)tpm : null, NpgsqlDbType.Bigint);
        Add(command, prefix + "_par", limits?.MaxParallel, NpgsqlDbType.Integer);
        Add(command, prefix + "_budget", limits?.BudgetUsd is { } budget ? NanoUsd.Floor(budget) : null, NpgsqlDbType.Bigint);
        Add(command, prefix + "_period", subject?.Period.Id, NpgsqlDbType.Bigint);
        Add(command, prefix + "_period_start", subject?.Period.Start.ToUnixTimeMilliseconds(), NpgsqlDbType.Bigint);
    }

    private static void Add(DbCommand command, string name, object? value, NpgsqlDbType type) =>
        command.Parameters.Add(new NpgsqlParameter(name, type) { Value = value ?? DBNull.Value });

    private static (CounterSnapshot, Reservation) Read(DbDataReader reader, int at, decimal cost, long periodId)
    {
        var refusal = (LimitRefusal)reader.GetInt32(at);
        var windowStart = reader.GetInt64(at + 3);
        var snapshot = new CounterSnapshot(refusal, reader.GetInt32(at + 1), reader.GetInt64(at + 2), windowStart + 60_000,
            reader.GetInt32(at + 4), NanoUsd.ToUsd(reader.GetInt64(at + 5)), NanoUsd.ToUsd(reader.GetInt64(at + 6)));
        return (snapshot, refusal == LimitRefusal.None ? new Reservation(windowStart, reader.GetInt64(at + 7), cost, periodId) : default);
    }

    private void EnsureStarted()
    {
        if (_writer is not null) return;
        lock (_settlements)
        {
            _writer ??= Task.Run(() => WriteSettlementsAsync(_stopping.Token));
            _heartbeat ??= Task.Run(() => HeartbeatAsync(_stopping.Token));
        }
    }

    private async Task WriteSettlementsAsync(CancellationToken stopping)
    {
        var batch = new List<SharedSettlement>(MaxBatch);
        var reader = _settlements.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MaxBatch && reader.TryRead(out var item)) batch.Add(item);
            try
            {
                await WriteBatchAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _pending, -batch.Count);
                batch.Clear();
            }
            catch (Exception ex) when (IsUnavailable(ex))
            {
                // Kept and retried: until written, the reservations keep counting (refusing more, never overspending).
                LogSettleRetry(logger, batch.Count, ex.Message);
                if (stopping.IsCancellationRequested) return;
                try { await Task.Delay(TimeSpan.FromSeconds(1), stopping); } catch (OperationCanceledException) { }
            }
        }
    }

    private async Task WriteBatchAsync(List<SharedSettlement> batch, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        foreach (var s in batch)
        {
            var command = new NpgsqlBatchCommand("SELECT sb_limit_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
            command.Parameters.Add(new NpgsqlParameter { Value = s.Subject.Scope == LimitScope.Key ? "key" : "team" });
            command.Parameters.Add(new NpgsqlParameter { Value = s.Subject.Id });
            command.Parameters.Add(new NpgsqlParameter { Value = ReplicaId });
            command.Parameters.Add(new NpgsqlParameter { Value = s.NowMs });
            command.Parameters.Add(new NpgsqlParameter { Value = s.Reservation.WindowStartMs });
            command.Parameters.Add(new NpgsqlParameter { Value = s.Reservation.Tokens });
            command.Parameters.Add(new NpgsqlParameter { Value = s.ActualTokens });
            command.Parameters.Add(new NpgsqlParameter { Value = NanoUsd.Ceiling(s.Reservation.Cost) });
            command.Parameters.Add(new NpgsqlParameter { Value = NanoUsd.Round(s.ActualCost) });
            command.Parameters.Add(new NpgsqlParameter { Value = s.PeriodId });
            npgsqlBatch.BatchCommands.Add(command);
        }
        await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task HeartbeatAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(HeartbeatEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                try
                {
                    await using var connection = await database.OpenAsync(stopping);
                    await using var command = SwitchboardDatabase.Command(connection,
                        "UPDATE limit_holds SET heartbeat_ms = @now WHERE replica = @replica AND (in_flight > 0 OR reserved_nano_usd > 0)");
                    await command.With("@now", time.GetUtcNow().ToUnixTimeMilliseconds()).With("@replica", ReplicaId).ExecuteNonQueryAsync(stopping);
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

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Graceful stop: every queued settlement is written (or given up after the host's shutdown timeout).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _settlements.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_writer is not null) await _writer.WaitAsync(cancellationToken);
        if (_heartbeat is not null) await _heartbeat.WaitAsync(cancellationToken);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shared limit counters: heartbeat failed ({Reason})")]
    private static partial void LogHeartbeatFailed(ILogger logger, string reason);
}

/// <summary>USD ↔ nano-USD (the storage schema's exact money unit).</summary>
internal static class NanoUsd
{
    private const decimal PerUsd = 1_000_000_000m;

    /// <summary>For reservations: rounded up, so a reservation never covers less than its worst case.</summary>
    public static long Ceiling(decimal usd) => (long)Math.Ceiling(usd * PerUsd);

    /// <summary>For budgets: rounded down, so a budget never allows more than it says.</summary>
    public static long Floor(decimal usd) => (long)Math.Floor(usd * PerUsd);

    public static long Round(decimal usd) => (long)Math.Round(usd * PerUsd, MidpointRounding.AwayFromZero);

    public static decimal ToUsd(long nano) => nano / PerUsd;
}
