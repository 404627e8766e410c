namespace Switchboard.Routing;

/// <summary>
/// The order in which deployments are tried for one request: the model's own deployments in weighted-random
/// order, then each fallback model's, capped at <see cref="MaxAttempts"/>. Pure data in, list out.
/// </summary>
public static class AttemptPlanner
{
    public const int MaxAttempts = 4;

    public static List<RoutedDeployment> Plan(RoutedModel model, GatewayRuntime runtime)
    {
        var plan = new List<RoutedDeployment>(Math.Min(MaxAttempts, model.Deployments.Length + model.Fallbacks.Length));
        AddWeighted(plan, model);
        foreach (var fallbackName in model.Fallbacks)
        {
            if (plan.Count >= MaxAttempts) break;
            if (runtime.Models.TryGetValue(fallbackName, out var fallback)) AddWeighted(plan, fallback);
        }
        if (plan.Count > MaxAttempts) plan.RemoveRange(MaxAttempts, plan.Count - MaxAttempts);
        return plan;
    }

    private static void AddWeighted(List<RoutedDeployment> plan, RoutedModel model)
    {
        var deployments = model.Deployments;
        if (deployments.Length == 1)
        {
            plan.Add(deployments[0]);
            return;
        }
        // Weighted sampling without replacement: first pick by weight, then the rest by weight among those left.
        Span<bool> used = stackalloc bool[deployments.Length];
        var remainingWeight = model.TotalWeight;
        for (var picked = 0; picked < deployments.Length; picked++)
        {
            var roll = Random.Shared.Next(remainingWeight);
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
