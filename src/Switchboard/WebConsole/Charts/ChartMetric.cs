using Switchboard.Storage.Usage;

namespace Switchboard.WebConsole.Charts;

/// <summary>
/// A number a usage chart can draw (<c>?metric=</c>): how it is read from a bucket's totals and how it reads on the page.
/// Tokens are prompt + completion (cached and reasoning tokens are parts of those, not extra).
/// </summary>
public sealed record ChartMetric(string Id, string Label, Func<UsageTotals, double> Value, Func<double, string> Format)
{
    public static readonly ChartMetric Requests = new("requests", "Requests", t => t.Requests, ChartFormat.Count);
    public static readonly ChartMetric Tokens = new("tokens", "Tokens", t => t.PromptTokens + t.CompletionTokens, ChartFormat.Count);
    public static readonly ChartMetric Cost = new("cost", "Cost", t => (double)t.CostUsd, ChartFormat.Usd);

    public static IReadOnlyList<ChartMetric> All { get; } = [Requests, Tokens, Cost];

    /// <summary>The metric named <paramref name="id"/>; null when there is none by that name.</summary>
    public static ChartMetric? Find(string? id) => All.FirstOrDefault(m => string.Equals(m.Id, id, StringComparison.Ordinal));
}
