using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Usage;

/// <summary>
/// A range of the overview (<c>?range=day|week|month</c>): the last 24 hours in hourly buckets, or the last 7 or 30
/// days in daily ones. Bounds are whole UTC hours (so the ledger's hourly roll-up can answer), ending with the hour
/// that holds "now"; the previous period is the same length just before.
/// </summary>
public sealed record OverviewRange(string Id, string Tab, string Label, string Previous, TimeSpan Span, SeriesBucket Bucket)
{
    public static readonly OverviewRange Day = new("day", "Day", "Last 24 hours", "the 24 hours before", TimeSpan.FromDays(1), SeriesBucket.Hour);
    public static readonly OverviewRange Week = new("week", "Week", "Last 7 days", "the 7 days before", TimeSpan.FromDays(7), SeriesBucket.Day);
    public static readonly OverviewRange Month = new("month", "Month", "Last 30 days", "the 30 days before", TimeSpan.FromDays(30), SeriesBucket.Day);

    public static IReadOnlyList<OverviewRange> All { get; } = [Day, Week, Month];

    public static OverviewRange? Find(string? id) => All.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));

    /// <summary>[From, To) of this range at <paramref name="now"/>: To is the end of the current UTC hour.</summary>
    public (DateTimeOffset From, DateTimeOffset To) Bounds(DateTimeOffset now)
    {
        var to = Charts.ChartData.Floor(now, SeriesBucket.Hour).AddHours(1);
        return (to - Span, to);
    }
}
