using System.Globalization;

namespace Switchboard.Storage.Usage;

/// <summary>The width of one point of a usage series: a UTC hour or a UTC day.</summary>
public enum SeriesBucket
{
    Hour,
    Day,
}

/// <summary>One point of a usage series: the bucket's start, the series it belongs to (null when not split), its totals.</summary>
public sealed record UsagePoint(DateTimeOffset Start, string? Series, UsageTotals Totals);

public sealed partial class UsageQueries
{
    /// <summary>
    /// Totals per time bucket, optionally split by <paramref name="split"/> (key id, team, model or provider; not
    /// <see cref="UsageGrouping.Day"/>), oldest first. Buckets without rows are absent (a chart fills them with zero).
    /// From the hourly roll-up when the filter allows it (whole hours; a partial first or last hour is read from the
    /// ledger), as <see cref="TotalsAsync"/>: pass whole hours (or days) for the fastest answer.
    /// </summary>
    public async Task<IReadOnlyList<UsagePoint>> SeriesAsync(UsageFilter filter, SeriesBucket bucket, UsageGrouping? split,
        CancellationToken cancellationToken = default)
    {
        var width = bucket == SeriesBucket.Hour ? 3_600_000L : 86_400_000L;
        var series = split switch
        {
            null => "NULL",
            UsageGrouping.Key => "key_id",
            UsageGrouping.Team => "team",
            UsageGrouping.Model => "model",
            UsageGrouping.Provider => "provider",
            _ => throw new ArgumentOutOfRangeException(nameof(split), split, "A series splits by key, team, model or provider."),
        };
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SwitchboardDatabase.Command(connection, "");
        var time = string.Create(CultureInfo.InvariantCulture, $"ts_ms / {width}");
        var source = UsageSource.For(command, filter, ReadsRollup, days: bucket == SeriesBucket.Day);
        command.CommandText = $"SELECT {time}, {series}, {source.Sums} FROM {source.Rows}" +
            $" GROUP BY {time}{(split is null ? "" : ", " + series)} ORDER BY {time}";
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var points = new List<UsagePoint>();
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            points.Add(new UsagePoint(DateTimeOffset.FromUnixTimeMilliseconds(DbValues.Long(r, 0) * width), DbValues.Text(r, 1), ReadTotals(r, 2)));
        }
        return points;
    }
}
