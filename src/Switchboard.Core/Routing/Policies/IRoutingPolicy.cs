using System.Collections.Immutable;
using Switchboard.Config;

namespace Switchboard.Routing.Policies;

/// <summary>
/// One routing strategy (<c>strategy:</c> in the config): the order in which a model's deployments are tried for one
/// request. One instance per strategy, shared by every model that uses it (see <see cref="RoutingPolicies"/>).
/// </summary>
public interface IRoutingPolicy
{
    /// <summary>The strategy's name as written in the config (<c>weighted</c>, <c>priority</c>, ...).</summary>
    string Name { get; }

    RoutingStrategy Strategy { get; }

    /// <summary>
    /// The model's deployments in a fixed preference order, computed once when the runtime is built (stored as
    /// <see cref="RoutedModel.PreferenceOrder"/>); policies that order per request return them as listed.
    /// </summary>
    ImmutableArray<RoutedDeployment> PreferenceOrder(ImmutableArray<RoutedDeployment> deployments);

    /// <summary>Appends every deployment of <paramref name="model"/> (it has at least two) in this request's order.</summary>
    void AddInOrder(List<RoutedDeployment> plan, RoutedModel model, Random random);
}
