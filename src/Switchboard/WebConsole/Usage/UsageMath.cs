using Switchboard.Storage.Usage;
using Switchboard.WebConsole.Charts;

namespace Switchboard.WebConsole.Usage;

/// <summary>Sums of ledger totals the console computes from what one query returned (no second trip to the database).</summary>
public static class UsageMath
{
    public static readonly UsageTotals Zero = new(0, 0, 0, 0, 0, 0m, 0, 0, 0);

    public static UsageTotals Add(UsageTotals a, UsageTotals b) => new(
        a.Requests + b.Requests,
        a.PromptTokens + b.PromptTokens,
        a.CompletionTokens + b.CompletionTokens,
        a.CachedTokens + b.CachedTokens,
        a.ReasoningTokens + b.ReasoningTokens,
        a.CostUsd + b.CostUsd,
        a.UnpricedRequests + b.UnpricedRequests,
        a.FailedRequests + b.FailedRequests,
        a.EstimatedRequests + b.EstimatedRequests);

    public static UsageTotals Sum(IEnumerable<UsageTotals> totals) => totals.Aggregate(Zero, Add);

    /// <summary>Failed ÷ requests (0 without requests).</summary>
    public static double ErrorRate(UsageTotals t) => t.Requests == 0 ? 0 : (double)t.FailedRequests / t.Requests;

    /// <summary>
    /// The totals of each bucket of [<paramref name="from"/>, <paramref name="to"/>) (every series summed, empty buckets
    /// zero), aligned with <see cref="ChartData.BucketStarts"/>: what a card's sparkline draws.
    /// </summary>
    public static UsageTotals[] PerBucket(IReadOnlyList<UsagePoint> points, DateTimeOffset from, DateTimeOffset to, SeriesBucket width)
    {
        var buckets = ChartData.BucketStarts(from, to, width);
        var sums = Enumerable.Repeat(Zero, buckets.Count).ToArray();
        var index = new Dictionary<DateTimeOffset, int>();
        for (var i = 0; i < buckets.Count; i++) index[buckets[i]] = i;
        foreach (var point in points)
        {
            if (index.TryGetValue(point.Start, out var i)) sums[i] = Add(sums[i], point.Totals);
        }
        return sums;
    }
}
