using System.Globalization;
using Switchboard.Storage.Usage;
using Switchboard.WebConsole.Charts;

namespace Switchboard.WebConsole.Usage;

/// <summary>
/// What the usage explorer (<c>/ui/usage</c>) and its CSV export (<c>/ui/usage.csv</c>) are asked, read from the query
/// string: <c>group_by</c> (key, team, model, provider, day), <c>from</c> and <c>to</c> (UTC dates, both days
/// included; the last 30 days unless given), filters <c>key</c> (a key id), <c>team</c>, <c>model</c>, <c>provider</c>,
/// and the chart's <c>metric</c>. Whole UTC days, so the ledger's roll-ups can answer.
/// </summary>
public sealed record UsageExplorerQuery(
    UsageGrouping GroupBy,
    DateOnly From,
    DateOnly To,
    string? KeyId,
    string? Team,
    string? Model,
    string? Provider,
    ChartMetric Metric)
{
    public const int DefaultDays = 30;

    /// <summary>The longest range one query covers (a chart of more daily bars is unreadable, a table of days too).</summary>
    public const int MaxDays = 366;

    public static IReadOnlyList<(string Id, string Label, UsageGrouping Grouping)> Groupings { get; } =
    [
        ("key", "Key", UsageGrouping.Key), ("team", "Team", UsageGrouping.Team), ("model", "Model", UsageGrouping.Model),
        ("provider", "Provider", UsageGrouping.Provider), ("day", "Day", UsageGrouping.Day),
    ];

    public string GroupById => Groupings.First(g => g.Grouping == GroupBy).Id;

    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The end (exclusive): midnight after <see cref="To"/>.</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public UsageFilter Filter => new() { KeyId = KeyId, Team = Team, Model = Model, Provider = Provider, From = Start, To = End };

    /// <summary>Hourly buckets for a range of one or two days, daily ones beyond.</summary>
    public SeriesBucket Bucket => To.DayNumber - From.DayNumber < 2 ? SeriesBucket.Hour : SeriesBucket.Day;

    /// <summary>What the chart splits by: the grouping, except days (one series over time).</summary>
    public UsageGrouping? Split => GroupBy == UsageGrouping.Day ? null : GroupBy;

    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The query the request asks, or a message saying what is wrong with it (for the page or a 400).</summary>
    public static (UsageExplorerQuery? Query, string? Error) Parse(IQueryCollection query, DateOnly today)
    {
        static string? Value(IQueryCollection query, string name) => query[name].ToString() is { Length: > 0 } v ? v.Trim() : null;

        var groupBy = Value(query, "group_by") ?? "key";
        if (Groupings.FirstOrDefault(g => g.Id == groupBy) is not { Id: not null } grouping)
        {
            return (null, $"Group by “{groupBy}” is not known: choose key, team, model, provider or day.");
        }
        var metricId = Value(query, "metric") ?? ChartMetric.Requests.Id;
        if (ChartMetric.Find(metricId) is not { } metric)
        {
            return (null, $"The chart metric “{metricId}” is not known: choose requests, tokens or cost.");
        }
        var to = today;
        var from = today.AddDays(1 - DefaultDays);
        foreach (var (name, label) in new[] { ("from", "From"), ("to", "To") })
        {
            if (Value(query, name) is not { } text) continue;
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return (null, $"{label} “{text}” is not a date: use the form YYYY-MM-DD (for example {Format(today)}).");
            }
            if (date.Year is < 1970 or > 9000) return (null, $"{label} “{text}” is out of range: choose a date after 1970.");
            if (name == "from") from = date; else to = date;
        }
        if (from > to) return (null, $"From ({Format(from)}) is after To ({Format(to)}): the range would be empty.");
        if (to.DayNumber - from.DayNumber + 1 > MaxDays) return (null, $"The range covers more than {MaxDays} days: choose a shorter one.");
        return (new UsageExplorerQuery(grouping.Grouping, from, to, Value(query, "key"), Value(query, "team"), Value(query, "model"),
            Value(query, "provider"), metric), null);
    }
}
