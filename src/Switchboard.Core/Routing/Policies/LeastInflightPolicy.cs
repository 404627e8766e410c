using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary><c>least-inflight</c>: the deployment with the fewest requests in flight first; ties in random order.</summary>
public sealed class LeastInflightPolicy : IRoutingPolicy
{
    public string Name { get; } = RoutingMapperNames.Of(RoutingStrategy.LeastInflight);

    public RoutingStrategy Strategy => RoutingStrategy.LeastInflight;

    public ImmutableArray<RoutedDeployment> PreferenceOrder(ImmutableArray<RoutedDeployment> deployments) => deployments;

    public void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random) =>
        DeploymentOrder.AddByKey(plan, model.Deployments, random, static d => d.Health.InFlight);
}
