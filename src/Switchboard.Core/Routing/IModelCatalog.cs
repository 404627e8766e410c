using Switchboard.Auth;

namespace Switchboard.Routing;

/// <summary>
/// The routed models of one runtime, as the planner, the pricing and the model-not-found hint see them: a model by
/// name (fallbacks included) and the model a caller's request names. Implemented by the gateway runtime.
/// </summary>
public interface IModelCatalog
{
    /// <summary>Any model by name, hidden ones included (fallback chains may name them).</summary>
    bool TryGetModel(string name, out RoutedModel model);

    /// <summary>
    /// The model that serves <paramref name="name"/> for this caller: a route override for its key or team when one
    /// matches, else the public model of that name (hidden models are not requestable by name).
    /// </summary>
    bool TryResolveModel(ClientIdentity identity, string name, out RoutedModel model);
}
