using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Pipeline;
using Switchboard.Routing;
using Switchboard.Translation.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// <c>POST /v1beta/models/{model}:countTokens</c>: a Gemini upstream counts natively (the body relayed, the model in
/// the URL); any other is estimated with the gateway's token counter (<c>x-switchboard-token-count: estimated</c>).
/// Answers <c>{"totalTokens": N}</c>; not a generation, so no ledger row.
/// </summary>
public sealed class GeminiCountTokensHandler(RuntimeHolder runtimes, TimeProvider time)
{
    private static readonly GeminiClientDialect Dialect = GeminiClientDialect.Generate;

    public Task HandleAsync(HttpContext context) => TokenCountEndpoint.RunAsync(context, runtimes, time, Dialect, CountAsync);

    private static async Task CountAsync(HttpContext context, GatewayRuntime runtime, ClientIdentity identity, PooledBuffer body)
    {
        var name = GeminiRequestHead.ModelOf(context);
        if (!identity.MayUse(name) || !runtime.TryResolveModel(identity, name, out var model))
        {
            await Dialect.WriteErrorAsync(context.Response, ModelNotFoundHint.For(runtime, identity, name));
            return;
        }
        var (request, nested, error) = Read(body.Span, name);
        if (request is null)
        {
            await Dialect.WriteErrorAsync(context.Response, error!);
            return;
        }
        var first = model.Deployments[0];
        if (!nested && first.Provider.Protocol is { Wire: Wires.Gemini } protocol
            && await TokenCountEndpoint.RelayUpstreamAsync(context, first, protocol, CountUri(first), body, Dialect, estimateWhenMissing: true))
        {
            return;
        }
        var counter = TokenCounter.For(first.UpstreamModel);
        var tokens = counter.Count(request);
        await TokenCountEndpoint.WriteEstimateAsync(context, counter, tokens, TotalTokens);
    }

    private static readonly JsonEncodedText TotalTokens = JsonEncodedText.Encode("totalTokens");

    /// <summary>The request counted: <c>{"contents": ...}</c>, or a whole <c>{"generateContentRequest": {...}}</c> (nested).</summary>
    private static (Translation.Canonical.ChatRequest? Request, bool Nested, GatewayError? Error) Read(ReadOnlySpan<byte> json, string model)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            var root = JsonElement.ParseValue(ref reader);
            if (root.ValueKind != JsonValueKind.Object) return (null, false, GatewayError.InvalidRequest("The request body must be a JSON object."));
            if (root.TryGetProperty("generateContentRequest", out var nested) && nested.ValueKind == JsonValueKind.Object)
            {
                return (GeminiRequestReader.Read(nested, model, stream: false), true, null);
            }
            return (GeminiRequestReader.Read(root, model, stream: false), false, null);
        }
        catch (Exception e) when (WireDocument.IsReadFailure(e))
        {
            var explained = WireDocument.Explain(e, "request body");
            return (null, false, GatewayError.InvalidRequest(explained.ToString(), explained.Param));
        }
    }

    /// <summary>The deployment's <c>models/{model}:countTokens</c>, beside its generateContent.</summary>
    private static Uri CountUri(RoutedDeployment deployment) =>
        new(GeminiDialect.RequestUri(deployment.Provider.Config.BaseUrl.AbsoluteUri, deployment.UpstreamModel, stream: false).AbsoluteUri
            .Replace(":generateContent", ":countTokens", StringComparison.Ordinal));
}
