using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Media;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Streaming;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// A request whose client dialect differs from the upstream's wire: canonical request → upstream body; the upstream's
/// answer, stream or error → canonical → the client's dialect.
/// </summary>
public static class TranslatedAttempt
{
    public static async Task<AttemptOutcome> RunAsync(HttpContext context, IClientDialect dialect, RoutedDeployment deployment,
        IUpstreamProtocol protocol, ChatRequest request, PooledBuffer upstreamBody, Config.MediaSettings media, CancellationToken shutdown)
    {
        var provider = deployment.Provider;
        if (!provider.Type.FetchesRemoteImages && ImageInliner.HasRemoteImages(request))
        {
            // This upstream fetches no http(s) URLs (Gemini's fileData takes only its own File API URIs): the gateway does.
            var (inlined, fetchError) = await ImageInliner.InlineAsync(request, media.AllowPrivateNetworks, context.RequestAborted);
            if (inlined is null)
            {
                return AttemptOutcome.Failed(fetchError! with { Provider = provider.Name });
            }
            request = inlined;
        }
        upstreamBody.Clear();
        if (protocol.WriteChatBody(request, deployment.UpstreamModel, upstreamBody) is { } unsupported)
        {
            // This upstream cannot express the request; another deployment in the plan may.
            return AttemptOutcome.Failed(new GatewayError(400, "invalid_request_error", "unsupported_by_provider",
                $"Provider '{provider.Name}' ({provider.Config.Type}) cannot serve this request: {unsupported}",
                ErrorDisposition.Retryable, unsupported.Param) { Provider = provider.Name });
        }

        var stream = request.IsStreaming;
        using var message = UpstreamExchange.CreateRequest(protocol.ChatUri(deployment.UpstreamModel, stream), upstreamBody, stream, provider, protocol.Authorize);
        using var clock = AttemptClock.Start(deployment.Timeouts, context.RequestAborted, shutdown);
        var (response, failure) = await UpstreamExchange.SendAsync(context, provider, message, clock);
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
                if (stream && response.Content.Headers.ContentType?.MediaType == "text/event-stream")
                {
                    using var writer = dialect.CreateStreamWriter(request);
                    return await TranslatingStreamRelay.RelayAsync(context, response, provider, protocol.CreateStreamReader(request),
                        writer, dialect, clock);
                }
                return await TranslateJsonAsync(context, dialect, protocol, request, provider, response, clock.Token);
            }
            catch (Exception ex) when (UpstreamExchange.Classify(ex, context, provider, clock) is { } outcome)
            {
                return outcome;
            }
        }
    }

    private static async Task<AttemptOutcome> TranslateJsonAsync(HttpContext context, IClientDialect dialect, IUpstreamProtocol protocol,
        ChatRequest request, UpstreamProvider provider, HttpResponseMessage response, CancellationToken cancel)
    {
        using var json = await UpstreamExchange.ReadBoundedAsync(response, OpenAIPassthroughAttempt.MaxResponseBytes, cancel);
        var answer = protocol.ReadChatResponse(json.Span, request);
        if (!answer.IsSuccess)
        {
            return AttemptOutcome.Failed(new GatewayError(502, "upstream_error", "upstream_invalid_response",
                $"Provider '{provider.Name}' answered with a body the gateway could not read: {answer.Error}", ErrorDisposition.Retryable)
            { Provider = provider.Name });
        }
        using var output = new PooledBuffer(json.Length + 256);
        dialect.WriteResponse(answer.Value!, output);
        var firstByte = Stopwatch.GetTimestamp();
        var client = context.Response;
        client.StatusCode = StatusCodes.Status200OK;
        client.ContentType = "application/json";
        client.ContentLength = output.Length;
        await client.Body.WriteAsync(output.Memory, context.RequestAborted);
        var usage = answer.Value!.Usage;
        return new AttemptOutcome(AttemptResult.Completed, null, usage is null ? default : UsageConversion.ToTokenUsage(usage), usage is not null, firstByte);
    }
}
