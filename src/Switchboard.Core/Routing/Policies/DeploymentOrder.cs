using System.Collections.Immutable;

namespace Switchboard.Routing.Policies;

/// <summary>Ordering helpers shared by the policies that order per request (no LINQ, no allocation for small models).</summary>
internal static class DeploymentOrder
{
    /// <summary>Ascending by key; ties broken at random (a random rotation, then a stable insertion sort).</summary>
    public static void AddByKey(List<RoutedDeployment> plan, ImmutableArray<RoutedDeployment> deployments, Random random, Func<RoutedDeployment, double> key)
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
}
