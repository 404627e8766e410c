using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary><c>least-inflight</c>: the deployment with the fewest requests in flight first; ties in random order.</summary>
public sealed class LeastInflightPolicy() : RoutingPolicy(RoutingStrategy.LeastInflight)
{
    public override void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random) =>
        DeploymentOrder.AddByKey(plan, model.Deployments, random, static d => d.Health.InFlight);
}
