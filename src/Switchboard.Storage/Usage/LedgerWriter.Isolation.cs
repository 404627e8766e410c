using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Switchboard.Usage;

namespace Switchboard.Storage.Usage;

// Finding and setting aside the rows the database refuses, so that one bad row cannot stop the ledger.
public sealed partial class LedgerWriter
{
    /// <summary>
    /// Writes <paramref name="batch"/>. When the database refuses it for its data (<see cref="LedgerQuarantine.IsRowError"/>),
    /// the batch is halved until the refused rows are found; those are quarantined and taken out of
    /// <paramref name="batch"/>, the rest is written. Any other error (the database unreachable) propagates with the
    /// batch minus the rows already quarantined: the caller retries it, and rows already written are skipped by their
    /// request id.
    /// </summary>
    private void Write(List<UsageRecord> batch, CancellationToken abort)
    {
        try
        {
            _repository.InsertAsync(batch, abort).GetAwaiter().GetResult();
            return;
        }
        catch (Exception e) when (LedgerQuarantine.IsRowError(e))
        {
            // Fall through: find the row(s) the database refuses.
        }
        var refused = new HashSet<UsageRecord>(ReferenceEqualityComparer.Instance);
        try
        {
            Isolate(batch, 0, batch.Count, refused, abort);
        }
        finally
        {
            if (refused.Count > 0) batch.RemoveAll(refused.Contains);
        }
    }

    /// <summary>Writes batch[start .. start + count) half by half; a single row the database refuses is quarantined.</summary>
    private void Isolate(List<UsageRecord> batch, int start, int count, HashSet<UsageRecord> refused, CancellationToken abort)
    {
        var half = count / 2;
        foreach (var (from, n) in new[] { (start, half), (start + half, count - half) })
        {
            if (n == 0) continue;
            try
            {
                _repository.InsertAsync(batch.GetRange(from, n), abort).GetAwaiter().GetResult();
            }
            catch (Exception e) when (LedgerQuarantine.IsRowError(e))
            {
                if (n > 1)
                {
                    Isolate(batch, from, n, refused, abort);
                    continue;
                }
                var row = batch[from];
                var reason = LedgerQuarantine.Describe(e);
                _quarantine.Add(row, reason);
                refused.Add(row);
                Interlocked.Increment(ref _quarantined);
                LogQuarantined(_logger, row.RequestId, reason, _quarantine.Path);
            }
        }
    }

    /// <summary>One spill-file line as a row; a line that is not one (a torn write) is quarantined, and null returned.</summary>
    private UsageRecord? ReadSpillLine(ReadOnlySpan<byte> line)
    {
        try
        {
            if (JsonSerializer.Deserialize(line, LedgerJsonContext.Default.UsageRecord) is { } row) return row;
        }
        catch (JsonException e)
        {
            var reason = "not a ledger row: " + e.Message;
            _quarantine.AddLine(Encoding.UTF8.GetString(line), reason);
            Interlocked.Increment(ref _quarantined);
            LogQuarantined(_logger, "(unreadable spill-file line)", reason, _quarantine.Path);
            return null;
        }
        _quarantine.AddLine(Encoding.UTF8.GetString(line), "not a ledger row: null");
        Interlocked.Increment(ref _quarantined);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Usage ledger: the database refused the row of request {RequestId} ({Reason}); it was set aside in {QuarantineFile} and the other rows were written")]
    private static partial void LogQuarantined(ILogger logger, string requestId, string reason, string quarantineFile);
}
