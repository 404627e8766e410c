using Switchboard.Storage.Usage;
using Switchboard.WebConsole.Charts;
using Switchboard.WebConsole.Usage;

namespace Switchboard.Tests.WebConsole;

/// <summary>What a chart is drawn from: every bucket of the range (empty ones as zero), the largest series first, the rest summed as "other".</summary>
public sealed class ChartDataTests
{
    private static readonly DateTimeOffset Midnight = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private static UsagePoint Point(DateTimeOffset at, string? series, long requests, decimal cost = 0) =>
        new(at, series, UsageMath.Add(UsageMath.Zero, new UsageTotals(requests, 0, 0, 0, 0, cost, 0, 0, 0)));

    [Fact]
    public void Every_hour_of_the_range_is_a_bucket_and_hours_without_rows_are_zero()
    {
        var from = Midnight.AddHours(10);
        var points = new[] { Point(from.AddHours(1), "chat", 3), Point(from.AddHours(5), "chat", 2), Point(from.AddHours(5), "other", 4) };

        var chart = ChartData.From(points, from, from.AddDays(1), SeriesBucket.Hour, t => t.Requests);

        Assert.Equal(24, chart.Buckets.Count);
        Assert.Equal(from, chart.Buckets[0]);
        Assert.Equal(from.AddHours(23), chart.Buckets[^1]);
        var chat = chart.Series.Single(s => s.Name == "chat").Values;
        Assert.Equal(5, chat.Sum());
        Assert.Equal([0, 3, 0, 0, 0, 2], chat[..6]);
        Assert.Equal(4, chart.Series.Single(s => s.Name == "other").Values[5]);
        Assert.Equal(["chat", "other"], chart.Series.Select(s => s.Name)); // the largest first
    }

    [Fact]
    public void Days_start_at_utc_midnight_and_a_range_starting_mid_day_keeps_its_first_day()
    {
        var from = Midnight.AddHours(15);

        var chart = ChartData.From([Point(Midnight, null, 7), Point(Midnight.AddDays(7), null, 1)], from, from.AddDays(7), SeriesBucket.Day, t => t.Requests);

        Assert.Equal(8, chart.Buckets.Count); // seven days from 15:00: parts of eight UTC days
        Assert.Equal(Midnight, chart.Buckets[0]);
        var all = Assert.Single(chart.Series);
        Assert.Equal("all", all.Name);
        Assert.Equal([7, 0, 0, 0, 0, 0, 0, 1], all.Values);
    }

    [Fact]
    public void Beyond_the_largest_series_the_rest_are_summed_as_other()
    {
        var points = Enumerable.Range(1, ChartData.MaxSeries + 3).Select(n => Point(Midnight, $"model-{n:00}", n, cost: n / 100m)).ToList();

        var chart = ChartData.From(points, Midnight, Midnight.AddDays(1), SeriesBucket.Day, t => (double)t.CostUsd);

        Assert.Equal(ChartData.MaxSeries + 1, chart.Series.Count);
        Assert.Equal([.. Enumerable.Range(4, ChartData.MaxSeries).Reverse().Select(n => $"model-{n:00}"), "other"], chart.Series.Select(s => s.Name));
        Assert.Equal(0.06, chart.Series[^1].Values.Single(), 10); // models 1, 2 and 3
        Assert.Equal(points.Sum(p => (double)p.Totals.CostUsd), chart.Series.Sum(s => s.Values.Sum()), 10);
    }

    [Fact]
    public void Points_outside_the_range_are_left_out_and_an_empty_range_is_empty()
    {
        var chart = ChartData.From([Point(Midnight.AddDays(-2), "chat", 9)], Midnight, Midnight.AddDays(1), SeriesBucket.Hour, t => t.Requests);

        Assert.True(chart.IsEmpty);
        Assert.Equal(24, chart.Buckets.Count);
    }

    [Fact]
    public void Key_series_read_as_key_names_and_two_keys_sharing_a_name_stay_apart()
    {
        var names = new Dictionary<string, string> { ["k1"] = "alice", ["k2"] = "ci", ["k3"] = "ci" };
        var points = new[] { Point(Midnight, "k1", 1), Point(Midnight, "k2", 2), Point(Midnight, "k3", 3), Point(Midnight, null, 4) };

        var named = UsageLabels.Named(points, UsageGrouping.Key, names);

        Assert.Equal(["alice", "ci (k2)", "ci (k3)", UsageLabels.Missing(UsageGrouping.Key)], named.Select(p => p.Series));
    }

    [Fact]
    public void Sparkline_buckets_sum_every_series_of_a_bucket()
    {
        var points = new[] { Point(Midnight.AddHours(2), "chat", 3), Point(Midnight.AddHours(2), "other", 4), Point(Midnight.AddHours(3), "chat", 1) };

        var buckets = UsageMath.PerBucket(points, Midnight, Midnight.AddHours(6), SeriesBucket.Hour);

        Assert.Equal([0L, 0, 7, 1, 0, 0], buckets.Select(b => b.Requests));
    }
}
