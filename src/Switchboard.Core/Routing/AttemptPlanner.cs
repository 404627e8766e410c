using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing;

/// <summary>
/// The order in which deployments are tried for one request: the model's own deployments in its strategy's order,
/// then each fallback model's. Cooldowns are not applied here but in the attempt loop (<see cref="DeploymentHealth.TryAdmit"/>),
/// which skips deployments that are out and still tries the least-bad one when every deployment is out.
/// No LINQ and no locks: small stack buffers and the health counters' current values.
/// </summary>
public static class AttemptPlanner
{
    /// <summary>Share of lowest-latency requests sent in random order, so a deployment's stale average gets refreshed.</summary>
    public const double LatencyExplorationRate = 0.05;

    public static List<RoutedDeployment> Plan(RoutedModel model, GatewayRuntime runtime, Random? random = null)
    {
        random ??= Random.Shared;
        var plan = new List<RoutedDeployment>(model.Deployments.Length + model.Fallbacks.Length);
        Add(plan, model, random);
        foreach (var fallbackName in model.Fallbacks)
        {
            if (runtime.Models.TryGetValue(fallbackName, out var fallback)) Add(plan, fallback, random);
        }
        return plan;
    }

    /// <summary>The deployments of a special-purpose chain (context window, content policy), model by model.</summary>
    public static List<RoutedDeployment> PlanChain(ImmutableArray<string> chain, GatewayRuntime runtime, Random? random = null)
    {
        random ??= Random.Shared;
        var plan = new List<RoutedDeployment>(chain.Length);
        foreach (var name in chain)
        {
            if (runtime.Models.TryGetValue(name, out var model)) Add(plan, model, random);
        }
        return plan;
    }

    /// <summary>Appends one model's deployments in its strategy's order.</summary>
    public static void Add(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        var deployments = model.Deployments;
        if (deployments.Length == 1)
        {
            plan.Add(deployments[0]);
            return;
        }
        switch (model.Strategy)
        {
            case RoutingStrategy.Priority:
            case RoutingStrategy.LowestCost:
                // Static orders, sorted once when the runtime was built.
                foreach (var d in model.PreferenceOrder) plan.Add(d);
                break;
            case RoutingStrategy.LeastInflight:
                AddByKey(plan, deployments, random, static d => d.Health.InFlight);
                break;
            case RoutingStrategy.LowestLatency:
                if (random.NextDouble() < LatencyExplorationRate) AddByKey(plan, deployments, random, static _ => 0);
                // Untried deployments first (explored), then by their moving average of time to first token.
                else AddByKey(plan, deployments, random, static d => d.Health.LatencySamples == 0 ? -1 : d.Health.LatencyEwmaMs);
                break;
            default:
                AddWeighted(plan, model, random);
                break;
        }
    }

    /// <summary>Ascending by key; ties broken at random (a random rotation, then a stable insertion sort).</summary>
    private static void AddByKey(List<RoutedDeployment> plan, ImmutableArray<RoutedDeployment> deployments, Random random, Func<RoutedDeployment, double> key)
    {
        var n = deployments.Length;
        Span<int> order = n <= 32 ? stackalloc int[n] : new int[n];
        Span<double> keys = n <= 32 ? stackalloc double[n] : new double[n];
        var rotation = random.Next(n);
        for (var i = 0; i < n; i++)
        {
            order[i] = (i + rotation) % n;
            keys[i] = key(deployments[order[i]]);
        }
        for (var i = 1; i < n; i++)
        {
            var (o, k) = (order[i], keys[i]);
            var j = i - 1;
            for (; j >= 0 && keys[j] > k; j--)
            {
                order[j + 1] = order[j];
                keys[j + 1] = keys[j];
            }
            order[j + 1] = o;
            keys[j + 1] = k;
        }
        foreach (var index in order) plan.Add(deployments[index]);
    }

    private static void AddWeighted(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        var deployments = model.Deployments;
        // Weighted sampling without replacement: first pick by weight, then the rest by weight among those left.
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

    /// <summary>The fixed order of the priority and lowest-cost strategies (stable: list order breaks ties).</summary>
    public static ImmutableArray<RoutedDeployment> StaticOrder(ImmutableArray<RoutedDeployment> deployments, RoutingStrategy strategy)
    {
        var indexed = deployments.Select((d, i) => (d, i));
        return strategy switch
        {
            RoutingStrategy.Priority => [.. indexed.OrderBy(x => x.d.Config.Priority ?? int.MaxValue).ThenBy(x => x.i).Select(x => x.d)],
            RoutingStrategy.LowestCost => [.. indexed.OrderBy(x => x.d.PricePerMTok ?? decimal.MaxValue).ThenBy(x => x.i).Select(x => x.d)],
            _ => deployments,
        };
    }
}
