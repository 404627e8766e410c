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

    public async Task HandleAsync(HttpContext context)
    {
        using var lease = runtimes.Lease(); // a reload must not dispose the provider under this request
        var runtime = lease.Runtime;
        var (identity, authError) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
        if (identity is null)
        {
            await Dialect.WriteErrorAsync(context.Response, authError!);
            return;
        }
        var (body, readError) = await RequestBodyReader.ReadJsonAsync(context.Request, context.RequestAborted, runtime.Config.Server.MaxBodySize);
        if (body is null)
        {
            await Dialect.WriteErrorAsync(context.Response, readError!);
            return;
        }
        using (body)
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
            context.Response.Headers["x-switchboard-token-count"] = "estimated";
            context.Response.Headers["x-switchboard-tokenizer"] = counter.Encoding;
            context.Response.ContentType = "application/json";
            await using var json = new Utf8JsonWriter(context.Response.Body);
            json.WriteStartObject();
            json.WriteNumber("input_tokens"u8, tokens);
            json.WriteEndObject();
        }
    }

    /// <summary>Relays the upstream's own count; false (estimate instead) when the upstream cannot be reached or answers garbage.</summary>
    private static async Task<bool> TryAskUpstreamAsync(HttpContext context, RoutedDeployment deployment, IUpstreamProtocol protocol,
        IUpstreamTokenCounter counting, PooledBuffer body)
    {
        var provider = deployment.Provider;
        var (head, _) = OpenAIRequestHead.Parse(body.Span, OpenAIRequestHead.Kind.Chat);
        using var upstreamBody = new PooledBuffer(body.Length + 64);
        OpenAIBodyRewriter.Rewrite(body.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: false);
        using var folded = PassthroughAttempt.FoldSystemMessages(deployment, upstreamBody);
        using var request = UpstreamExchange.CreateRequest(counting.CountTokensUri, folded ?? upstreamBody, stream: false, provider, protocol.Authorize);
        using var clock = AttemptClock.Start(new AttemptTimeouts(provider.Config.RequestTimeout, provider.Config.RequestTimeout, provider.Config.RequestTimeout), context.RequestAborted);
        var (response, _) = await UpstreamExchange.SendAsync(context, provider, request, clock);
        if (response is null) return false;
        using (response)
        {
            using var answer = await UpstreamExchange.ReadBoundedAsync(response, 1024 * 1024, clock.Token);
            if (!response.IsSuccessStatusCode)
            {
                if ((int)response.StatusCode >= 500) return false;
                await Dialect.WriteErrorAsync(context.Response, UpstreamErrors.FromResponse(response, answer.Span, provider));
                return true;
            }
            // An answer that is not a JSON object (or is an error) is never relayed: the estimate answers instead.
            if (UpstreamExchange.CheckAnswer(answer.Span, provider) is not null) return false;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength = answer.Length;
            await context.Response.Body.WriteAsync(answer.Memory, context.RequestAborted);
            return true;
        }
    }
}
