using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>
/// <c>lowest-latency</c>: untried deployments first (explored), then by their moving average of time to first token;
/// a small share of requests (<see cref="ExplorationRate"/>) goes in random order so a stale average gets refreshed.
/// </summary>
public sealed class LowestLatencyPolicy() : RoutingPolicy(RoutingStrategy.LowestLatency)
{
    /// <summary>Share of requests sent in random order, so a deployment's stale average gets refreshed.</summary>
    public const double ExplorationRate = 0.05;

    public override void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        if (random.NextDouble() < ExplorationRate) DeploymentOrder.AddByKey(plan, model.Deployments, random, static _ => 0);
        else DeploymentOrder.AddByKey(plan, model.Deployments, random, static d => d.Health.LatencySamples == 0 ? -1 : d.Health.LatencyEwmaMs);
    }
}
