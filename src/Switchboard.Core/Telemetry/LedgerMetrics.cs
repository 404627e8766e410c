using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchboard.Telemetry;

/// <summary>The usage ledger's backlog (rows accepted, not yet in the database) and how long its batch writes take.</summary>
public static class LedgerMetrics
{
    private static readonly double[] WriteBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly ObservedSources<Func<long>> Backlogs = new();

    private static readonly ObservableGauge<long> QueueDepth = GatewayTelemetry.Meter.CreateObservableGauge("switchboard.ledger.queue.depth",
        ObserveBacklog, "{row}", "Usage rows accepted and not yet written to the database (memory queue and spill file).");

    private static readonly Histogram<double> WriteDuration = GatewayTelemetry.Meter.CreateHistogram("switchboard.ledger.write.duration", "s",
        "Time to write one batch of usage rows to the database, by outcome (ok, error).", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = WriteBuckets });

    /// <summary>Reports <paramref name="pendingRows"/> as the ledger's queue depth until the registration is disposed.</summary>
    public static IDisposable Register(Func<long> pendingRows)
        => Backlogs.Add(pendingRows);

    /// <summary>One batch write that started at <paramref name="startedTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>) ended.</summary>
    public static void BatchWritten(long startedTimestamp, bool ok)
    {
        if (!WriteDuration.Enabled) return;
        WriteDuration.Record(Stopwatch.GetElapsedTime(startedTimestamp).TotalSeconds, new TagList { { MetricTags.Outcome, ok ? "ok" : "error" } });
    }

    private static long ObserveBacklog()
    {
        long pending = 0;
        foreach (var backlog in Backlogs.Current) pending += backlog();
        return pending;
    }
}
