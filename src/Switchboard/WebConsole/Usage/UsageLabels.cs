using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Usage;

/// <summary>How usage groups and chart series read: keys by name (never a secret), missing values said in words.</summary>
public static class UsageLabels
{
    /// <summary>
    /// How a group without a value reads: requests made without a virtual key (the master key, or open mode), keys
    /// without a team, requests refused before a provider was chosen.
    /// </summary>
    public static string Missing(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Key => "(no key)",
        UsageGrouping.Team => "(no team)",
        UsageGrouping.Provider => "(no provider)",
        _ => "(none)",
    };

    /// <summary>
    /// <paramref name="points"/> with their series named for people: a key id becomes the key's name (with its id
    /// when two keys share a name, so their series stay apart), a missing value its words.
    /// </summary>
    public static IReadOnlyList<UsagePoint> Named(IReadOnlyList<UsagePoint> points, UsageGrouping? split, IReadOnlyDictionary<string, string> keyNames)
    {
        if (split is not { } grouping) return points;
        var shared = grouping != UsageGrouping.Key ? [] : points.Select(p => p.Series).OfType<string>().Distinct(StringComparer.Ordinal)
            .GroupBy(id => keyNames.GetValueOrDefault(id, id), StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        string Name(string? series)
        {
            if (series is null) return Missing(grouping);
            if (grouping != UsageGrouping.Key) return series;
            var name = keyNames.GetValueOrDefault(series, series);
            return shared.Contains(name) ? $"{name} ({series})" : name;
        }
        return [.. points.Select(p => p with { Series = Name(p.Series) })];
    }
}
