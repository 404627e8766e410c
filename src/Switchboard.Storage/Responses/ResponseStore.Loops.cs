using Microsoft.Extensions.Logging;
using Switchboard.Providers.OpenAI.Responses.Stored;

namespace Switchboard.Storage.Responses;

/// <summary>The store's two background loops: writing queued responses, pruning expired ones.</summary>
public sealed partial class ResponseStore
{
    /// <summary>
    /// The writer loop. It blocks its own thread on every wait and write (see <see cref="StartAsync"/>): SQLite's
    /// "async" calls run synchronously, and PostgreSQL's are awaited here without taking a pool worker.
    /// </summary>
    private void WriteLoop(CancellationToken stop)
    {
        Thread.CurrentThread.Name = "responses-writer";
        var batch = new List<StoredResponse>(WriteBatch);
        var healthy = true;
        var behind = false;
        while (_queue.Reader.WaitToReadAsync(stop).AsTask().GetAwaiter().GetResult())
        {
            if (!behind && !_stopping && _queue.Reader.Count < WriteBatch)
            {
                // Let responses gather (reads are served from memory meanwhile): one transaction per window, not per request.
                Task.WhenAny(Task.Delay(BatchWindow, stop), _stopRequested.Task).GetAwaiter().GetResult();
                stop.ThrowIfCancellationRequested();
            }
            while (batch.Count < WriteBatch && _queue.Reader.TryRead(out var row))
            {
                // Deleted while queued: nothing to write.
                if (_pending.TryGetValue(row.Id, out var current) && ReferenceEquals(current, row)) batch.Add(row);
            }
            // A full batch: more may be waiting, written without a pause.
            behind = batch.Count == WriteBatch;
            if (batch.Count == 0) continue;
            var backoff = TimeSpan.FromMilliseconds(200);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    _repository.InsertAsync(batch, stop).GetAwaiter().GetResult();
                    Interlocked.Add(ref _stored, batch.Count);
                    if (!healthy) LogRecovered(_logger);
                    healthy = true;
                    break;
                }
                catch (Exception e) when (!stop.IsCancellationRequested)
                {
                    if (healthy) LogWriteFailed(_logger, e.GetType().Name, e.Message);
                    healthy = false;
                    if (attempt == MaxWriteAttempts || _stopping)
                    {
                        // Still readable from memory until here; dropped so the queue keeps moving.
                        Interlocked.Add(ref _dropped, batch.Count);
                        LogDropped(_logger, batch.Count);
                        break;
                    }
                    stop.WaitHandle.WaitOne(backoff);
                    stop.ThrowIfCancellationRequested();
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                }
            }
            foreach (var row in batch)
            {
                if (_pending.TryRemove(new KeyValuePair<string, StoredResponse>(row.Id, row))) continue;
                // Deleted while it was being written: delete the row just written too.
                if (!_pending.ContainsKey(row.Id)) DeleteWritten(row, stop);
            }
            batch.Clear();
        }
    }

    private void DeleteWritten(StoredResponse row, CancellationToken stop)
    {
        try
        {
            _repository.DeleteAsync(row.Id, row.Owner, DateTimeOffset.MinValue, stop).GetAwaiter().GetResult();
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            LogWriteFailed(_logger, e.GetType().Name, e.Message);
        }
    }

    private async Task PruneLoopAsync(CancellationToken stop)
    {
        // A first round soon after start (once the key directory has migrated the database), then every interval.
        await Task.Delay(FirstPrune, _time, stop).ConfigureAwait(false);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var deleted = await PruneAsync(stop).ConfigureAwait(false);
                if (deleted > 0) LogPruned(_logger, deleted);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                // The database is away: the next round tries again.
                LogPruneFailed(_logger, e.GetType().Name, e.Message);
            }
            await Task.Delay(PruneInterval, _time, stop).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: the write queue is full ({Limit}); new responses are answered but not stored until it drains")]
    private static partial void LogQueueFull(ILogger logger, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: database write failed ({Kind}: {Reason}); retrying")]
    private static partial void LogWriteFailed(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: {Count} responses dropped, the database refused them for too long")]
    private static partial void LogDropped(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored responses: database writes resumed")]
    private static partial void LogRecovered(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stored responses: {Count} expired responses deleted")]
    private static partial void LogPruned(ILogger logger, long count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stored responses: pruning failed ({Kind}: {Reason}); tried again later")]
    private static partial void LogPruneFailed(ILogger logger, string kind, string reason);
}
