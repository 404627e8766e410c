using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>The routing policies, one per <see cref="RoutingStrategy"/>, found by strategy or by config name.</summary>
public static class RoutingPolicies
{
    /// <summary>Every policy, in <see cref="RoutingStrategy"/> order (so a strategy's value is its index).</summary>
    public static readonly ImmutableArray<IRoutingPolicy> All =
    [
        new WeightedPolicy(),
        new PriorityPolicy(),
        new LeastInflightPolicy(),
        new LowestLatencyPolicy(),
        new LowestCostPolicy(),
    ];

    /// <summary>The policy of <paramref name="strategy"/>.</summary>
    public static IRoutingPolicy For(RoutingStrategy strategy) =>
        (uint)strategy < (uint)All.Length ? All[(int)strategy] : throw new ArgumentOutOfRangeException(nameof(strategy), strategy, null);

    /// <summary>The policy named <paramref name="name"/> as in the config (ordinal); false for an unknown name.</summary>
    public static bool TryGet(string? name, [NotNullWhen(true)] out IRoutingPolicy? policy)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                policy = candidate;
                return true;
            }
        }
        policy = null;
        return false;
    }
}
