using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>
/// A fixed order by <paramref name="key"/>, ascending, sorted once when the runtime is built (stable: list order
/// breaks ties); each request gets <see cref="RoutedModel.PreferenceOrder"/> as it is.
/// </summary>
public abstract class StaticOrderPolicy(RoutingStrategy strategy, Func<RoutedDeployment, IComparable> key) : RoutingPolicy(strategy)
{
    public sealed override ImmutableArray<RoutedDeployment> PreferenceOrder(ImmutableArray<RoutedDeployment> deployments) =>
        [.. deployments.Select((d, i) => (d, i)).OrderBy(x => key(x.d)).ThenBy(x => x.i).Select(x => x.d)];

    public sealed override void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        foreach (var d in model.PreferenceOrder) plan.Add(d);
    }
}

/// <summary><c>priority</c>: by each deployment's <c>priority</c>, lower first; deployments without one last.</summary>
public sealed class PriorityPolicy() : StaticOrderPolicy(RoutingStrategy.Priority, static d => d.Config.Priority ?? int.MaxValue);

/// <summary><c>lowest-cost</c>: the cheapest (input + output price per million tokens) first; unpriced deployments last.</summary>
public sealed class LowestCostPolicy() : StaticOrderPolicy(RoutingStrategy.LowestCost, static d => d.PricePerMTok ?? decimal.MaxValue);
