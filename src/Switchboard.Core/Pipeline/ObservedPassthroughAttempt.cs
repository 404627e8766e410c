using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Providers.Anthropic;
using Switchboard.Providers.OpenAI;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// A request to an upstream that speaks the client's own non-OpenAI wire (Claude Code → Anthropic): only <c>model</c>
/// is spliced, protocol headers the client sent (<c>anthropic-beta</c>, <c>anthropic-version</c>) go along, and the
/// answer comes back byte for byte — no lossy round trip through the canonical model.
/// </summary>
public static class ObservedPassthroughAttempt
{
    /// <summary>Client headers that are part of the protocol, not of the client's identity, and so travel upstream.</summary>
    private static readonly string[] ForwardedHeaders = ["anthropic-beta", "anthropic-version"];

    private static readonly ChatRequest NoRequest = new() { Model = "" };

    /// <summary>
    /// The body with its mid-conversation system messages folded, when the upstream model refuses them and the body
    /// has any; null (send <paramref name="body"/> as it is) otherwise, after a byte scan only.
    /// </summary>
    public static PooledBuffer? FoldSystemMessages(IUpstreamProtocol protocol, RoutedDeployment deployment, PooledBuffer body)
    {
        if (protocol is not IUpstreamFoldsSystemMessages || !deployment.FoldsSystemMessages
            || !SystemMessageFolder.MayContainSystemMessage(body.Span)) return null;
        var folded = new PooledBuffer(body.Length + 256);
        if (SystemMessageFolder.TryFold(body.Span, folded)) return folded;
        folded.Dispose();
        return null;
    }

    public static async Task<AttemptOutcome> RunAsync(HttpContext context, IClientDialect dialect, RoutedDeployment deployment,
        IUpstreamProtocol protocol, OpenAIRequestHead head, PooledBuffer clientBody, PooledBuffer upstreamBody, CancellationToken shutdown)
    {
        var provider = deployment.Provider;
        upstreamBody.Clear();
        OpenAIBodyRewriter.Rewrite(clientBody.Span, head, deployment.UpstreamModelJson, upstreamBody, forceUsage: false);
        using var folded = FoldSystemMessages(protocol, deployment, upstreamBody);
        using var request = UpstreamExchange.CreateRequest(protocol.ChatUri(deployment.UpstreamModel, head.Stream), folded ?? upstreamBody, head.Stream, provider, headers =>
        {
            foreach (var name in ForwardedHeaders)
            {
                var value = context.Request.Headers[name];
                if (value.Count > 0) headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
            protocol.Authorize(headers);
        });
        using var clock = AttemptClock.Start(deployment.Timeouts, context.RequestAborted, shutdown);
        var (response, failure) = await UpstreamExchange.SendAsync(context, provider, request, clock);
        if (response is null) return failure;

        using (response)
        {
            try
            {
                if (!response.IsSuccessStatusCode)
                {
                    using var errorBody = await UpstreamExchange.ReadErrorBodyAsync(response, 1024 * 1024, clock.Token);
                    return AttemptOutcome.Failed(UpstreamErrors.FromResponse(response, errorBody.Span, provider));
                }
                if (head.Stream && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    return await ObservedStreamRelay.RelayAsync(context, response, provider, protocol.CreateStreamReader(null),
                        dialect, clock);
                }
                using var json = await UpstreamExchange.ReadBoundedAsync(response, OpenAIPassthroughAttempt.MaxResponseBytes, clock.Token);
                if (UpstreamExchange.CheckAnswer(json.Span, provider) is { } invalid) return AttemptOutcome.Failed(invalid);
                var usage = protocol.ReadChatResponse(json.Span, NoRequest).Value?.Usage;
                var firstByte = Stopwatch.GetTimestamp();
                var client = context.Response;
                client.StatusCode = (int)response.StatusCode;
                client.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
                client.ContentLength = json.Length;
                await client.Body.WriteAsync(json.Memory, context.RequestAborted);
                return new AttemptOutcome(AttemptResult.Completed, null, usage is null ? default : UsageConversion.ToTokenUsage(usage), usage is not null, firstByte);
            }
            catch (Exception ex) when (UpstreamExchange.Classify(ex, context, provider, clock) is { } outcome)
            {
                return outcome;
            }
        }
    }
}
