using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Providers.OpenAI;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Pipeline;
using Switchboard.Routing;

namespace Switchboard.Providers.Anthropic;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c> (Claude Code calls it before long requests): asked of the upstream itself when
/// the model's first deployment speaks this wire and counts tokens (<see cref="IUpstreamTokenCounter"/>: Anthropic),
/// counted locally otherwise with that deployment's tokenizer (see <see cref="TokenCounter"/>; marked
/// <c>x-switchboard-token-count: estimated</c>, since off OpenAI models it is an approximation). The Anthropic dialect's
/// own endpoint, registered in <see cref="AnthropicMessagesDialectRegistration"/>.
/// </summary>
public sealed class CountTokensHandler(RuntimeHolder runtimes, TimeProvider time)
{
    private static readonly AnthropicClientDialect Dialect = AnthropicClientDialect.Instance;

    public Task HandleAsync(HttpContext context) => TokenCountEndpoint.RunAsync(context, runtimes, time, Dialect, CountAsync);

    private static async Task CountAsync(HttpContext context, GatewayRuntime runtime, ClientIdentity identity, PooledBuffer body)
    {
        var read = AnthropicMessagesRequestReader.ReadCountTokens(body.Span);
        if (!read.IsSuccess)
        {
            await Dialect.WriteErrorAsync(context.Response, GatewayError.InvalidRequest(read.Error!.ToString(), read.Error.Param));
            return;
        }
        var request = read.Value!;
        if (!identity.MayUse(request.Model) || !runtime.TryResolveModel(identity, request.Model, out var model))
        {
            await Dialect.WriteErrorAsync(context.Response, ModelNotFoundHint.For(runtime, identity, request.Model));
            return;
        }
        var first = model.Deployments[0];
        if (first.Provider.Protocol is { } protocol && protocol.Wire == Dialect.Wire && protocol is IUpstreamTokenCounter counting
            && await TryAskUpstreamAsync(context, first, protocol, counting, body))
        {
            return;
        }
        var counter = TokenCounter.For(first.UpstreamModel);
        var tokens = counter.Count(request);
        await TokenCountEndpoint.WriteEstimateAsync(context, counter, tokens, InputTokens);
    }

    private static readonly JsonEncodedText InputTokens = JsonEncodedText.Encode("input_tokens");

    /// <summary>Relays the upstream's own count; false (estimate instead) when the upstream cannot be reached or answers garbage.</summary>
    private static async Task<bool> TryAskUpstreamAsync(HttpContext context, RoutedDeployment deployment, IUpstreamProtocol protocol,
        IUpstreamTokenCounter counting, PooledBuffer body)
    {
        var (head, _) = OpenAIRequestHead.Parse(body.Span, OpenAIRequestHead.Kind.Chat);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        OpenAIBodyRewriter.Rewrite(body.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: false);
        using var folded = PassthroughAttempt.FoldSystemMessages(deployment, upstreamBody);
        return await TokenCountEndpoint.RelayUpstreamAsync(context, deployment, protocol, counting.CountTokensUri, folded ?? upstreamBody, Dialect, estimateWhenMissing: false);
    }
}
