using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Usage;

/// <summary>One key among the top spenders of a range (<see cref="KeyId"/> null for requests made without a key).</summary>
public sealed record TopKey(string? KeyId, string Name, string? Team, UsageTotals Totals, double Share);

/// <summary>
/// What the operator's overview shows for one range: its totals and the previous period's, the series (split by model
/// or provider) for the chart and the cards' sparklines, the top keys by spend, and whether the ledger is empty.
/// </summary>
public sealed record OverviewReport(
    DateTimeOffset From,
    DateTimeOffset To,
    UsageTotals Current,
    UsageTotals Previous,
    IReadOnlyList<UsagePoint> Points,
    IReadOnlyList<TopKey> TopKeys,
    bool LedgerEmpty)
{
    public const int TopKeyCount = 10;

    public static async Task<OverviewReport> LoadAsync(UsageQueries usage, KeyRepository keys, OverviewRange range, UsageGrouping split,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (from, to) = range.Bounds(now);
        var filter = new UsageFilter { From = from, To = to };
        // Independent reads, side by side (in parallel on PostgreSQL; SQLite answers each call synchronously).
        var series = usage.SeriesAsync(filter, range.Bucket, split, cancellationToken);
        var before = usage.TotalsAsync(new UsageFilter { From = from - range.Span, To = from }, cancellationToken);
        var byKey = usage.GroupsAsync(filter, UsageGrouping.Key, cancellationToken);
        var keyList = keys.ListAsync(cancellationToken);
        await Task.WhenAll(series, before, byKey, keyList).ConfigureAwait(false);
        var points = await series.ConfigureAwait(false);
        // Every row of the range is in exactly one point: the range's totals are their sum.
        var current = UsageMath.Sum(points.Select(p => p.Totals));
        var previous = await before.ConfigureAwait(false);
        var ledgerEmpty = current.Requests == 0 && previous.Requests == 0
            && (await usage.RecentAsync(new UsageFilter(), 1, cancellationToken).ConfigureAwait(false)).Count == 0;
        IReadOnlyList<TopKey> top = [];
        if (current.Requests > 0)
        {
            var groups = await byKey.ConfigureAwait(false);
            var records = (await keyList.ConfigureAwait(false)).ToDictionary(k => k.Id, StringComparer.Ordinal);
            top = [.. groups
                .OrderByDescending(g => g.Totals.CostUsd).ThenByDescending(g => g.Totals.Requests).ThenBy(g => g.Group, StringComparer.Ordinal)
                .Take(TopKeyCount)
                .Select(g =>
                {
                    var record = g.Group is null ? null : records.GetValueOrDefault(g.Group);
                    var name = record?.Name ?? g.Label ?? g.Group ?? UsageLabels.Missing(UsageGrouping.Key);
                    var share = current.CostUsd == 0 ? 0 : (double)(g.Totals.CostUsd / current.CostUsd);
                    return new TopKey(g.Group, name, record?.Team, g.Totals, share);
                })];
        }
        return new OverviewReport(from, to, current, previous, points, top, ledgerEmpty);
    }
}
