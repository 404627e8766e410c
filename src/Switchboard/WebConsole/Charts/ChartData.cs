using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Charts;

/// <summary>One named series of a chart, a value per bucket (aligned with <see cref="ChartData.Buckets"/>).</summary>
public sealed record ChartSeries(string Name, double[] Values);

/// <summary>What a <see cref="TimeSeriesChart"/> draws: every bucket of a range (empty ones included) and the series over them.</summary>
public sealed record ChartData(IReadOnlyList<DateTimeOffset> Buckets, IReadOnlyList<ChartSeries> Series, SeriesBucket Width)
{
    /// <summary>Series beyond this many are summed into one "other" series (a chart with more colours is unreadable).</summary>
    public const int MaxSeries = 7;

    public bool IsEmpty => Series.Count == 0 || Series.All(s => s.Values.All(v => v == 0));

    /// <summary>
    /// The chart of <paramref name="points"/> over [<paramref name="from"/>, <paramref name="to"/>), one value per
    /// bucket and series read by <paramref name="metric"/>; the largest series first, the rest as "other".
    /// </summary>
    public static ChartData From(IReadOnlyList<UsagePoint> points, DateTimeOffset from, DateTimeOffset to, SeriesBucket width,
        Func<UsageTotals, double> metric, string unsplitName = "all")
    {
        var buckets = BucketStarts(from, to, width);
        var index = new Dictionary<DateTimeOffset, int>();
        for (var i = 0; i < buckets.Count; i++) index[buckets[i]] = i;

        var bySeries = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            if (!index.TryGetValue(point.Start, out var i)) continue;
            var name = point.Series ?? unsplitName;
            if (!bySeries.TryGetValue(name, out var values)) bySeries[name] = values = new double[buckets.Count];
            values[i] += metric(point.Totals);
        }
        var ordered = bySeries.OrderByDescending(s => s.Value.Sum()).ThenBy(s => s.Key, StringComparer.Ordinal).ToList();
        var series = ordered.Take(MaxSeries).Select(s => new ChartSeries(s.Key, s.Value)).ToList();
        if (ordered.Count > MaxSeries)
        {
            var other = new double[buckets.Count];
            foreach (var (_, values) in ordered.Skip(MaxSeries))
            {
                for (var i = 0; i < other.Length; i++) other[i] += values[i];
            }
            series.Add(new ChartSeries("other", other));
        }
        return new ChartData(buckets, series, width);
    }

    /// <summary>The start of every UTC hour or day that overlaps [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public static IReadOnlyList<DateTimeOffset> BucketStarts(DateTimeOffset from, DateTimeOffset to, SeriesBucket width)
    {
        var step = width == SeriesBucket.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);
        var buckets = new List<DateTimeOffset>();
        for (var at = Floor(from, width); at < to; at += step) buckets.Add(at);
        return buckets;
    }

    /// <summary>The start of the UTC hour or day <paramref name="at"/> falls in.</summary>
    public static DateTimeOffset Floor(DateTimeOffset at, SeriesBucket width)
    {
        var utc = at.ToUniversalTime();
        return width == SeriesBucket.Hour
            ? new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero);
    }
}
