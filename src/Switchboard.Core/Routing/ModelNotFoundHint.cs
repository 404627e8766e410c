using Switchboard.Auth;
using Switchboard.Errors;

namespace Switchboard.Routing;

/// <summary>
/// The 404 for a model name the key cannot use, naming the fix when the name is a near miss: a provider prefix as
/// other gateways spell models (<c>openai/gpt-4o</c>, <c>anthropic/claude-sonnet-4-5</c>) where this gateway knows
/// <c>gpt-4o</c>. The message keeps CONTRACT §3's wording first, so clients that match on it still do.
/// </summary>
public static class ModelNotFoundHint
{
    public static GatewayError For(IModelCatalog models, ClientIdentity identity, string model)
    {
        var error = GatewayError.ModelNotFound(model);
        var slash = model.LastIndexOf('/');
        if (slash <= 0 || slash == model.Length - 1) return error;
        var bare = model[(slash + 1)..];
        if (!identity.MayUse(bare) || !models.TryResolveModel(identity, bare, out _)) return error;
        return error with
        {
            Message = $"{error.Message} Did you mean model '{bare}'? This gateway names models without a provider prefix (see GET /v1/models).",
        };
    }
}
