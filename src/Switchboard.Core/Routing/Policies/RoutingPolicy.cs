using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>What every policy shares: its config name, and no fixed order unless it overrides one.</summary>
public abstract class RoutingPolicy(RoutingStrategy strategy) : IRoutingPolicy
{
    public string Name { get; } = RoutingMapperNames.Of(strategy);

    public RoutingStrategy Strategy => strategy;

    public virtual ImmutableArray<RoutedDeployment> PreferenceOrder(ImmutableArray<RoutedDeployment> deployments) => deployments;

    public abstract void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random);
}
