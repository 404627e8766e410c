using Switchboard.Storage.Keys;
using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Usage;

/// <summary>One row of the explorer: the group's value (a key id, team, model, provider or day), how it reads, its totals.</summary>
public sealed record UsageRow(string? Group, string Label, UsageTotals Totals);

/// <summary>The explorer's answer to one query: its rows (the largest spend first; days in order) and their total.</summary>
public sealed record UsageExplorerResult(IReadOnlyList<UsageRow> Rows, UsageTotals Total, IReadOnlyDictionary<string, string> KeyNames);

/// <summary>Runs an explorer query against the ledger (shared by the page and its CSV export, so they always agree).</summary>
public static class UsageExplorer
{
    /// <summary>The groups of <paramref name="query"/>, keys named from <paramref name="keyNames"/> (<see cref="KeyNamesAsync"/>).</summary>
    public static async Task<UsageExplorerResult> RunAsync(UsageQueries usage, IReadOnlyDictionary<string, string> keyNames, UsageExplorerQuery query,
        CancellationToken cancellationToken)
    {
        var groups = await usage.GroupsAsync(query.Filter, query.GroupBy, cancellationToken).ConfigureAwait(false);
        var rows = groups.Select(g => new UsageRow(g.Group, Label(query.GroupBy, g, keyNames), g.Totals));
        rows = query.GroupBy == UsageGrouping.Day
            ? rows.OrderBy(r => r.Group, StringComparer.Ordinal)
            : rows.OrderByDescending(r => r.Totals.CostUsd).ThenByDescending(r => r.Totals.Requests).ThenBy(r => r.Label, StringComparer.Ordinal);
        var list = rows.ToList();
        return new UsageExplorerResult(list, UsageMath.Sum(list.Select(r => r.Totals)), keyNames);
    }

    /// <summary>Every key's name by id (revoked ones included: their usage stays in the ledger).</summary>
    public static async Task<IReadOnlyDictionary<string, string>> KeyNamesAsync(KeyRepository keys, CancellationToken cancellationToken) =>
        NamesById(await keys.ListAsync(cancellationToken).ConfigureAwait(false));

    public static IReadOnlyDictionary<string, string> NamesById(IEnumerable<KeyRecord> keys) =>
        keys.ToDictionary(k => k.Id, k => k.Name, StringComparer.Ordinal);

    private static string Label(UsageGrouping grouping, UsageGroup group, IReadOnlyDictionary<string, string> keyNames) => group.Group switch
    {
        null => UsageLabels.Missing(grouping),
        { } id when grouping == UsageGrouping.Key => keyNames.GetValueOrDefault(id) ?? group.Label ?? id,
        { } value => value,
    };
}
