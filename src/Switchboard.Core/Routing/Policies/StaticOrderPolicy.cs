using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>
/// A fixed order, sorted once when the runtime is built: <c>priority</c> (lower first, unset last) and
/// <c>lowest-cost</c> (input + output price per million tokens, unpriced last). Stable: list order breaks ties.
/// </summary>
public sealed class StaticOrderPolicy(RoutingStrategy strategy, Func<RoutedDeployment, IComparable> key) : IRoutingPolicy
{
    public string Name { get; } = RoutingMapperNames.Of(strategy);

    public RoutingStrategy Strategy => strategy;

    public ImmutableArray<RoutedDeployment> PreferenceOrder(ImmutableArray<RoutedDeployment> deployments) =>
        [.. deployments.Select((d, i) => (d, i)).OrderBy(x => key(x.d)).ThenBy(x => x.i).Select(x => x.d)];

    public void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        foreach (var d in model.PreferenceOrder) plan.Add(d);
    }
}
