using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;

namespace Switchboard.Pipeline;

/// <summary>
/// A request to an upstream that speaks the client's own wire (OpenAI → OpenAI, Claude Code → Anthropic): the client's
/// bytes go up with only <c>model</c> spliced and the answer comes back byte for byte. The fastest path and the most
/// faithful: fields the gateway does not model are never lost. How usage is learnt is the upstream protocol's
/// <see cref="IUpstreamProtocol.Passthrough"/>.
/// </summary>
public static class PassthroughAttempt
{
    /// <summary>Client headers that are part of the protocol, not of the client's identity, and so travel upstream (observed wires).</summary>
    private static readonly string[] ForwardedHeaders = ["anthropic-beta", "anthropic-version"];

    /// <summary>Relays one request to <paramref name="uri"/> (the protocol's chat URL, or an OpenAI-only operation's).</summary>
    public static Task<AttemptOutcome> RunAsync(HttpContext context, IClientDialect dialect, Uri uri, RoutedDeployment deployment,
        IUpstreamProtocol protocol, OpenAIRequestHead head, PooledBuffer clientBody, PooledBuffer upstreamBody, CancellationToken shutdown)
    {
        var usageOnRequest = protocol.Passthrough == PassthroughRelay.UsageOnRequest;
        upstreamBody.Clear();
        // A body without a model (Gemini's: the model is in the URL) goes up as it came.
        if (head.ModelValue.End.Value == 0) upstreamBody.Write(clientBody.Span);
        else OpenAIBodyRewriter.Rewrite(clientBody.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: usageOnRequest);
        var folded = FoldSystemMessages(deployment, upstreamBody);
        if (protocol.Wire == Wires.AnthropicMessages) folded = WithoutGatewayThinking(folded ?? upstreamBody, folded);
        var request = UpstreamExchange.CreateRequest(uri, folded ?? upstreamBody, head.Stream, deployment.Provider,
            usageOnRequest ? protocol.Authorize : AuthorizeForwarding(context, protocol));
        return UpstreamAttempt.RunAsync(context, deployment, request, head.Stream,
            new PassthroughAnswer(dialect, protocol, head.ClientWantsUsage), shutdown, folded);
    }

    /// <summary>The protocol's credentials plus the protocol headers the client sent (<see cref="ForwardedHeaders"/>).</summary>
    private static Action<HttpRequestHeaders> AuthorizeForwarding(HttpContext context, IUpstreamProtocol protocol) => headers =>
    {
        foreach (var name in ForwardedHeaders)
        {
            var value = context.Request.Headers[name];
            if (value.Count > 0) headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
        }
        protocol.Authorize(headers);
    };

    /// <summary>
    /// The body with its mid-conversation system messages folded, when the upstream model refuses them and the body
    /// has any; null (send <paramref name="body"/> as it is) otherwise, after a byte scan only.
    /// </summary>
    public static PooledBuffer? FoldSystemMessages(RoutedDeployment deployment, PooledBuffer body)
    {
        if (!deployment.FoldsSystemMessages || !SystemMessageFolder.MayContainSystemMessage(body.Span)) return null;
        var folded = new PooledBuffer(body.Length + 256);
        if (SystemMessageFolder.TryFold(body.Span, folded)) return folded;
        folded.Dispose();
        return null;
    }

    /// <summary>
    /// The body without the thinking blocks the gateway made from another provider's reasoning (see
    /// <see cref="GatewayThinking"/>), when it has any; otherwise <paramref name="owned"/>, after a byte scan only.
    /// </summary>
    private static PooledBuffer? WithoutGatewayThinking(PooledBuffer body, PooledBuffer? owned)
    {
        if (!GatewayThinking.MayContain(body.Span)) return owned;
        var stripped = new PooledBuffer(body.Length);
        if (!GatewayThinking.TryStrip(body.Span, stripped))
        {
            stripped.Dispose();
            return owned;
        }
        owned?.Dispose();
        return stripped;
    }

    /// <summary>The answer comes back as the upstream sent it; usage is read as the protocol's passthrough says.</summary>
    private readonly struct PassthroughAnswer(IClientDialect dialect, IUpstreamProtocol protocol, bool clientWantsUsage) : IAttemptAnswer
    {
        public Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock) =>
            protocol.Passthrough == PassthroughRelay.UsageOnRequest
                ? StreamRelay.RelayAsync(context, response, provider, dialect, clock, new ForwardAndScanUsage(provider, clientWantsUsage))
                : StreamRelay.RelayAsync(context, response, provider, dialect, clock, new ForwardAndObserve(provider, protocol.CreateStreamReader(null)));

        /// <summary>
        /// A whole answer is small: checked to be a JSON object (an invalid one is a retryable upstream failure, never a
        /// success), its usage taken, sent with the upstream's status and content type.
        /// </summary>
        public ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider)
        {
            if (UpstreamExchange.CheckAnswer(json.Span, provider) is { } invalid) return ValueTask.FromResult(AttemptOutcome.Failed(invalid));
            return UpstreamAttempt.AnswerAsync(context, (int)response.StatusCode,
                response.Content.Headers.ContentType?.ToString() ?? "application/json", json.Memory, protocol.ReadPassthroughUsage(json.Span));
        }
    }
}
