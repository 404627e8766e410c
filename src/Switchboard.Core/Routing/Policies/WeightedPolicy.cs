using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>
/// <c>weighted</c> (the default): random, proportional to each deployment's <c>weight</c>: weighted sampling without
/// replacement (the first pick by weight, then the next by weight among those left, and so on).
/// </summary>
public sealed class WeightedPolicy() : RoutingPolicy(RoutingStrategy.Weighted)
{
    public override void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        var deployments = model.Deployments;
        Span<bool> used = deployments.Length <= 64 ? stackalloc bool[deployments.Length] : new bool[deployments.Length];
        var remainingWeight = model.TotalWeight;
        for (var picked = 0; picked < deployments.Length; picked++)
        {
            var roll = random.Next(remainingWeight);
            for (var i = 0; i < deployments.Length; i++)
            {
                if (used[i]) continue;
                var weight = Math.Max(1, deployments[i].Config.Weight);
                if (roll < weight)
                {
                    used[i] = true;
                    remainingWeight -= weight;
                    plan.Add(deployments[i]);
                    break;
                }
                roll -= weight;
            }
        }
    }
}
