using System.Collections.Immutable;

namespace Switchboard.Routing;

/// <summary>
/// The order in which deployments are tried for one request: the model's own deployments in its routing policy's
/// order (<see cref="Policies.IRoutingPolicy"/>), then each fallback model's. Cooldowns are not applied here but in the
/// attempt loop (<see cref="DeploymentHealth.TryAdmit"/>), which skips deployments that are out and still tries the
/// least-bad one when every deployment is out. No LINQ and no locks: small stack buffers and the health counters'
/// current values.
/// </summary>
public static class AttemptPlanner
{
    public static List<RoutedDeployment> Plan(RoutedModel model, IModelCatalog models, Random? random = null)
    {
        random ??= Random.Shared;
        var plan = new List<RoutedDeployment>(model.Deployments.Length + model.Fallbacks.Length);
        Add(plan, model, random);
        foreach (var fallbackName in model.Fallbacks)
        {
            if (models.TryGetModel(fallbackName, out var fallback)) Add(plan, fallback, random);
        }
        return plan;
    }

    /// <summary>The deployments of a special-purpose chain (context window, content policy), model by model.</summary>
    public static List<RoutedDeployment> PlanChain(ImmutableArray<string> chain, IModelCatalog models, Random? random = null)
    {
        random ??= Random.Shared;
        var plan = new List<RoutedDeployment>(chain.Length);
        foreach (var name in chain)
        {
            if (models.TryGetModel(name, out var model)) Add(plan, model, random);
        }
        return plan;
    }

    /// <summary>Appends one model's deployments in its policy's order.</summary>
    public static void Add(List<RoutedDeployment> plan, RoutedModel model, Random random)
    {
        if (model.Deployments.Length == 1) plan.Add(model.Deployments[0]);
        else model.Policy.AddInOrder(plan, model, random);
    }
}
