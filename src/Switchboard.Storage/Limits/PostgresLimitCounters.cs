using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Switchboard.Auth;
using Switchboard.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>
/// Rate-limit, parallel and budget counters shared by every gateway process on one PostgreSQL database (migrations
/// 100 and 101). With leases (the default) a replica takes slices of a subject's allowance (<c>sb_limit_lease</c>) and
/// admits locally against them; the slices are counted in the database, so replicas never over-admit together. A slice
/// is refilled in the background when it runs low; a request that finds it empty refills it synchronously (one round
/// trip); at a subject's tail (slices smaller than a request) requests are admitted exactly (<c>sb_limit_admit</c>, one
/// round trip each), so the last units are never parked in an idle replica. Unused slices are given back when idle and
/// on a graceful stop. Settlements are queued and written in batches by a background loop, off the request path. Each
/// replica's holds carry a heartbeat, so a replica that dies stops holding parallel slots and budget after
/// <see cref="LimitLeaseOptions.StaleAfter"/>. See docs/limits.md, "Several replicas".
/// </summary>
public sealed partial class PostgresLimitCounters(SwitchboardDatabase database, TimeProvider time, ILogger<PostgresLimitCounters> logger,
    LimitLeaseOptions? options = null)
    : ISharedLimitCounters, IHostedService, IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly LimitLeaseOptions _options = options ?? new LimitLeaseOptions();
    private readonly Channel<QueuedSettlement> _settlements = Channel.CreateUnbounded<QueuedSettlement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<(LimitScope Scope, string Id), SubjectLease> _leases = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writer;
    private long _pending;
    private int _disposed;
    private Task? _heartbeat;

    /// <summary>This process's id in <c>limit_holds</c> (its leases are held under this id + <c>#lease</c>).</summary>
    public string ReplicaId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..12]}";

    private string LeaseHolder => ReplicaId + "#lease";

    private long StaleMs => (long)_options.StaleAfter.TotalMilliseconds;

    public async ValueTask<SharedAdmitResult> AdmitAsync(SharedAdmitRequest request, CancellationToken cancellationToken)
    {
        EnsureStarted();
        if (!_options.Enabled) return await AdmitExactAsync(request, cancellationToken);
        var costNano = NanoUsd.Ceiling(request.Cost);
        var keyLease = request.Key is null ? null : LeaseOf(request.Key);
        var teamLease = request.Team is null ? null : LeaseOf(request.Team);
        var outcome = TryLocal(request, keyLease, teamLease, costNano, out var admitted);
        if (outcome == LeaseTake.Taken) return admitted;
        if (outcome == LeaseTake.Empty)
        {
            // One synchronous refill per subject at a time; requests that waited for it use its slice.
            var gate = (keyLease ?? teamLease)!.RefillGate;
            await gate.WaitAsync(cancellationToken);
            try
            {
                outcome = TryLocal(request, keyLease, teamLease, costNano, out admitted);
                if (outcome == LeaseTake.Empty)
                {
                    await LeaseAsync(request, keyLease, teamLease, cancellationToken);
                    outcome = TryLocal(request, keyLease, teamLease, costNano, out admitted);
                }
            }
            finally
            {
                gate.Release();
            }
            if (outcome == LeaseTake.Taken) return admitted;
        }
        // The tail (or slices too small for this request): exact admission, as without leases.
        return await AdmitExactAsync(request, cancellationToken);
    }

    private SubjectLease LeaseOf(SubjectLimits subject) =>
        _leases.GetOrAdd((subject.Scope, subject.Id), static (id, lowWater) => new SubjectLease(id.Scope, id.Id) { LowWaterFraction = lowWater },
            _options.LowWater);

    /// <summary>Admits against this replica's leases only: microseconds, no database.</summary>
    private LeaseTake TryLocal(in SharedAdmitRequest request, SubjectLease? keyLease, SubjectLease? teamLease, long costNano, out SharedAdmitResult result)
    {
        result = default;
        var confirmedAfter = request.NowMs - StaleMs / 2;
        Reservation keyReservation = default, teamReservation = default;
        CounterSnapshot keyState = default, teamState = default;
        bool keyLow = false, teamLow = false;
        if (keyLease is not null)
        {
            var taken = keyLease.TryTake(request.Key!, request.NowMs, request.Tokens, costNano, confirmedAfter, out keyReservation, out keyState, out keyLow);
            if (taken != LeaseTake.Taken) return taken;
        }
        if (teamLease is not null)
        {
            var taken = teamLease.TryTake(request.Team!, request.NowMs, request.Tokens, costNano, confirmedAfter, out teamReservation, out teamState, out teamLow);
            if (taken != LeaseTake.Taken)
            {
                keyLease?.Undo(keyReservation, costNano);
                return taken;
            }
        }
        if (keyLow) RefillInBackground(keyLease!, request.Key!, request.Tokens, costNano);
        if (teamLow) RefillInBackground(teamLease!, request.Team!, request.Tokens, costNano);
        result = new SharedAdmitResult(keyState, keyReservation, teamState, teamReservation);
        return LeaseTake.Taken;
    }

    private void RefillInBackground(SubjectLease lease, SubjectLimits subject, long tokens, long costNano)
    {
        if (!lease.BeginRefill()) return;
        _ = Task.Run(async () =>
        {
            try
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                var request = subject.Scope == LimitScope.Key
                    ? new SharedAdmitRequest(subject, null, now, tokens, NanoUsd.ToUsd(costNano))
                    : new SharedAdmitRequest(null, subject, now, tokens, NanoUsd.ToUsd(costNano));
                await LeaseAsync(request, subject.Scope == LimitScope.Key ? lease : null, subject.Scope == LimitScope.Team ? lease : null, _stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException || IsUnavailable(ex))
            {
                // The next request that finds the lease empty refills synchronously (or degrades).
            }
            finally
            {
                lease.EndRefill();
            }
        });
    }

    /// <summary>One round trip: slices of the key's and the team's remaining allowance, added to the leases.</summary>
    private async Task LeaseAsync(SharedAdmitRequest request, SubjectLease? keyLease, SubjectLease? teamLease, CancellationToken cancellationToken)
    {
        var confirmedAfter = request.NowMs - StaleMs / 2;
        // An admin changed the limits: give the old slices back first (rare; one more round trip).
        var stale = new List<(SubjectLease, LeaseReturn)>();
        if (keyLease is not null && keyLease.LimitsChanged(request.Key!.Limits)) stale.Add((keyLease, keyLease.TakeUnused(request.NowMs)));
        if (teamLease is not null && teamLease.LimitsChanged(request.Team!.Limits)) stale.Add((teamLease, teamLease.TakeUnused(request.NowMs)));
        if (stale.Count > 0) await ReturnAsync(stale, request.NowMs, cancellationToken);
        var keyReset = keyLease?.ForfeitIfUnconfirmed(confirmedAfter) ?? false;
        var teamReset = teamLease?.ForfeitIfUnconfirmed(confirmedAfter) ?? false;

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SwitchboardDatabase.Command(connection,
            "SELECT * FROM sb_limit_lease(@replica, @now, @stale, @divisor, @tokens, @cost, @k_reset, @t_reset, " +
            "@k, @k_rpm, @k_tpm, @k_par, @k_budget, @k_period, @k_period_start, " +
            "@t, @t_rpm, @t_tpm, @t_par, @t_budget, @t_period, @t_period_start)");
        command.With("@replica", LeaseHolder).With("@now", request.NowMs).With("@stale", StaleMs).With("@divisor", _options.SliceDivisor)
            .With("@tokens", request.Tokens).With("@cost", NanoUsd.Ceiling(request.Cost)).With("@k_reset", keyReset).With("@t_reset", teamReset);
        AddSubject(command, "@k", keyLease is null ? null : request.Key);
        AddSubject(command, "@t", teamLease is null ? null : request.Team);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tailRecheck = (long)_options.TailRecheck.TotalMilliseconds;
        while (await reader.ReadAsync(cancellationToken))
        {
            var grant = new LeaseGrant(reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt32(3), reader.GetInt64(4), reader.GetInt32(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt32(8), reader.GetInt64(9), reader.GetInt32(10), reader.GetInt64(11));
            if (reader.GetString(0) == "key") keyLease!.Grant(request.Key!, grant, request.NowMs, tailRecheck);
            else teamLease!.Grant(request.Team!, grant, request.NowMs, tailRecheck);
        }
    }

    /// <summary>Gives unused slices back in one batch; what cannot be given back stays in the leases.</summary>
    private async Task ReturnAsync(List<(SubjectLease Lease, LeaseReturn Unused)> returns, long nowMs, CancellationToken cancellationToken)
    {
        returns.RemoveAll(r => r.Unused.IsEmpty);
        if (returns.Count == 0) return;
        try
        {
            await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
            await using var batch = new NpgsqlBatch(connection);
            foreach (var (lease, unused) in returns)
            {
                var command = Call("SELECT sb_limit_lease_return($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    ScopeName(lease.Scope), lease.Id, LeaseHolder, nowMs, unused.WindowStartMs, unused.Requests, unused.Tokens, unused.Parallel, unused.CostNano);
                batch.BatchCommands.Add(command);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
        catch
        {
            foreach (var (lease, unused) in returns) lease.Restore(unused);
            throw;
        }
    }

    /// <summary>Exact admission: the key's and the team's rows checked and reserved in one round trip (migration 100).</summary>
    private async ValueTask<SharedAdmitResult> AdmitExactAsync(SharedAdmitRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = SwitchboardDatabase.Command(connection,
            "SELECT * FROM sb_limit_admit(@replica, @now, @tokens, @cost, @stale, " +
            "@k, @k_rpm, @k_tpm, @k_par, @k_budget, @k_period, @k_period_start, " +
            "@t, @t_rpm, @t_tpm, @t_par, @t_budget, @t_period, @t_period_start)");
        command.With("@replica", ReplicaId).With("@now", request.NowMs).With("@tokens", request.Tokens)
            .With("@cost", NanoUsd.Ceiling(request.Cost)).With("@stale", StaleMs);
        AddSubject(command, "@k", request.Key);
        AddSubject(command, "@t", request.Team);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var key = request.Key is null ? (default, default) : Read(reader, 0, request.Cost, request.Key.Period.Id);
        var team = request.Team is null || reader.IsDBNull(8) ? (default, default) : Read(reader, 8, request.Cost, request.Team.Period.Id);
        return new SharedAdmitResult(key.Item1, key.Item2, team.Item1, team.Item2);
    }

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
}
