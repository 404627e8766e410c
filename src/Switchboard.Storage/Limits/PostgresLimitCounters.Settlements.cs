using Npgsql;
using Switchboard.Limits;

namespace Switchboard.Storage.Limits;

/// <summary>Settlements: applied to a lease at once, queued, and written to the database in batches off the request path.</summary>
public sealed partial class PostgresLimitCounters
{
    public void Settle(in SharedSettlement settlement)
    {
        LeaseSettlement? leased = null;
        if (settlement.Reservation.Leased)
        {
            // Applied to the lease at once (what the request did not use is available again); only the cost and any
            // tokens beyond the lease are written to the database, in the batches below.
            var lease = LeaseOf(settlement.Subject);
            var result = lease.Settle(settlement.Reservation, settlement.NowMs, settlement.ActualTokens, NanoUsd.Ceiling(settlement.Reservation.Cost),
                NanoUsd.Round(settlement.ActualCost), countTokens: settlement.Subject.Limits.Tpm is not null);
            if (result.IsEmpty) return;
            leased = result;
        }
        Interlocked.Increment(ref _pending);
        if (!_settlements.Writer.TryWrite(new QueuedSettlement(settlement, leased))) Interlocked.Decrement(ref _pending);
    }

    /// <summary>Settlements queued or being written (0 once every finished request is reflected in the shared counters).</summary>
    public long PendingSettlements => Interlocked.Read(ref _pending);

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
        var batch = new List<QueuedSettlement>(MaxBatch);
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

    private async Task WriteBatchAsync(List<QueuedSettlement> batch, CancellationToken cancellationToken)
    {
        await using var connection = (NpgsqlConnection)await database.OpenAsync(cancellationToken);
        await using var npgsqlBatch = new NpgsqlBatch(connection);
        // Leased settlements of one subject and period add up: one statement per subject per batch, however many requests.
        var merged = new Dictionary<(LimitScope, string, long), QueuedSettlement>();
        foreach (var item in batch)
        {
            if (item.Leased is not { } l) continue;
            var id = (item.Settlement.Subject.Scope, item.Settlement.Subject.Id, item.Settlement.PeriodId);
            merged[id] = merged.TryGetValue(id, out var sum)
                ? new QueuedSettlement(item.Settlement, new LeaseSettlement(sum.Leased!.Value.ExtraTokens + l.ExtraTokens,
                    sum.Leased.Value.CostNano + l.CostNano, sum.Leased.Value.ReleaseNano + l.ReleaseNano))
                : item;
        }
        foreach (var (s, leased) in batch.Where(b => b.Leased is null).Concat(merged.Values))
        {
            var scope = ScopeName(s.Subject.Scope);
            NpgsqlBatchCommand command;
            if (leased is { } l)
            {
                command = Call("SELECT sb_limit_lease_settle($1, $2, $3, $4, $5, $6, $7, $8)",
                    scope, s.Subject.Id, LeaseHolder, s.NowMs, l.ExtraTokens, l.CostNano, l.ReleaseNano, s.PeriodId);
                npgsqlBatch.BatchCommands.Add(command);
                continue;
            }
            command = Call("SELECT sb_limit_settle($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                scope, s.Subject.Id, ReplicaId, s.NowMs, s.Reservation.WindowStartMs, s.Reservation.Tokens, s.ActualTokens, NanoUsd.Ceiling(s.Reservation.Cost), NanoUsd.Round(s.ActualCost), s.PeriodId);
            npgsqlBatch.BatchCommands.Add(command);
        }
        await npgsqlBatch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>How the SQL functions name a scope.</summary>
    private static string ScopeName(LimitScope scope) => scope == LimitScope.Key ? "key" : "team";

    /// <summary>One positional function call in a batch: <paramref name="values"/> are <c>$1</c>, <c>$2</c>, ….</summary>
    private static NpgsqlBatchCommand Call(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return command;
    }
}

/// <summary>A settlement waiting to be written: exact (<paramref name="Leased"/> null) or from a lease.</summary>
internal readonly record struct QueuedSettlement(SharedSettlement Settlement, LeaseSettlement? Leased);
