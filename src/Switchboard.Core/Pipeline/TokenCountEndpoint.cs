using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchboard.Auth;
using Switchboard.Dialects;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Routing;

namespace Switchboard.Pipeline;

/// <summary>
/// What every dialect's token-count endpoint shares (Anthropic's <c>/messages/count_tokens</c>, Gemini's
/// <c>:countTokens</c>): authenticate and read the body, ask an upstream that counts and relay its answer, or write
/// the gateway's own estimate. Errors are written in the endpoint's dialect.
/// </summary>
public static class TokenCountEndpoint
{
    /// <summary>
    /// Runs one count: a lease on the runtime (a reload must not dispose the provider under the request), the caller
    /// and the body (errors written), then <paramref name="count"/>.
    /// </summary>
    public static async Task RunAsync(HttpContext context, RuntimeHolder runtimes, TimeProvider time, IClientDialect dialect,
        Func<HttpContext, GatewayRuntime, ClientIdentity, PooledBuffer, Task> count)
    {
        using var lease = runtimes.Lease();
        var runtime = lease.Runtime;
        var (identity, body) = await BeginAsync(context, runtime, time, dialect);
        if (identity is null || body is null) return;
        using (body)
        {
            await count(context, runtime, identity, body);
        }
    }

    /// <summary>The caller and the body; null (the error written) when either is refused.</summary>
    private static async Task<(ClientIdentity? Identity, PooledBuffer? Body)> BeginAsync(HttpContext context, GatewayRuntime runtime,
        TimeProvider time, IClientDialect dialect)
    {
        var (identity, authError) = await ClientAuthenticator.AuthenticateAsync(context.Request, runtime, time, context.RequestAborted);
        if (identity is null)
        {
            await dialect.WriteErrorAsync(context.Response, authError!);
            return (null, null);
        }
        var (body, readError) = await RequestBodyReader.ReadJsonAsync(context.Request, context.RequestAborted, runtime.Config.Server.MaxBodySize);
        if (body is null)
        {
            await dialect.WriteErrorAsync(context.Response, readError!);
            return (null, null);
        }
        return (identity, body);
    }

    /// <summary>
    /// Sends <paramref name="body"/> to the upstream's count URL and relays its answer; false when the estimate must
    /// answer instead: no answer, a server error, an answer that is no JSON object, or (<paramref name="estimateWhenMissing"/>)
    /// a 404/405 from an upstream without the method. Other refusals are relayed as errors in the client's dialect.
    /// </summary>
    public static async Task<bool> RelayUpstreamAsync(HttpContext context, RoutedDeployment deployment, IUpstreamProtocol protocol, Uri uri,
        PooledBuffer body, IClientDialect dialect, bool estimateWhenMissing)
    {
        var provider = deployment.Provider;
        using var request = UpstreamExchange.CreateRequest(uri, body, stream: false, provider, protocol.Authorize);
        using var clock = AttemptClock.Start(new AttemptTimeouts(provider.Config.RequestTimeout, provider.Config.RequestTimeout, provider.Config.RequestTimeout), context.RequestAborted);
        var (response, _) = await UpstreamExchange.SendAsync(context, provider, request, clock);
        if (response is null) return false;
        using (response)
        {
            using var answer = await UpstreamExchange.ReadBoundedAsync(response, 1024 * 1024, clock.Token);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                if (status >= 500 || (estimateWhenMissing && status is 404 or 405)) return false;
                await dialect.WriteErrorAsync(context.Response, UpstreamErrors.FromResponse(response, answer.Span, provider));
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

    /// <summary>The local count as <c>{"&lt;member&gt;": N}</c>, marked <c>x-switchboard-token-count: estimated</c> with its encoding.</summary>
    public static async Task WriteEstimateAsync(HttpContext context, TokenCounter counter, long tokens, JsonEncodedText member)
    {
        context.Response.Headers["x-switchboard-token-count"] = "estimated";
        context.Response.Headers["x-switchboard-tokenizer"] = counter.Encoding;
        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteNumber(member, tokens);
        json.WriteEndObject();
    }
}
