using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Providers.OpenAI;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Streaming;

namespace Switchboard.Pipeline;

/// <summary>
/// An OpenAI-dialect request to an OpenAI-wire upstream: the client's bytes go up with only <c>model</c> (and the
/// stream's <c>include_usage</c>) spliced, and the answer comes back byte for byte. The fastest path, and the most
/// faithful: fields the gateway does not model are never lost.
/// </summary>
public static class OpenAIPassthroughAttempt
{
    /// <summary>Largest upstream JSON answer accepted for a non-streaming request.</summary>
    public const int MaxResponseBytes = 64 * 1024 * 1024;

    public static async Task<AttemptOutcome> RunAsync(HttpContext context, Uri uri, RoutedDeployment deployment,
        IUpstreamTarget target, OpenAIRequestHead head, PooledBuffer clientBody, PooledBuffer upstreamBody, CancellationToken shutdown)
    {
        var provider = deployment.Provider;
        upstreamBody.Clear();
        OpenAIBodyRewriter.Rewrite(clientBody.Span, head, deployment.UpstreamModelJson, upstreamBody);
        using var request = UpstreamExchange.CreateRequest(uri, upstreamBody, head.Stream, provider, target.Authorize);
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
                    return await OpenAIStreamRelay.RelayAsync(context, response, provider, head.ClientWantsUsage, clock);
                }
                return await RelayJsonAsync(context, response, provider, clock.Token);
            }
            catch (Exception ex) when (UpstreamExchange.Classify(ex, context, provider, clock) is { } outcome)
            {
                return outcome;
            }
        }
    }

    /// <summary>
    /// Non-streaming answers are small and complete: read, check it is a JSON object (an invalid one is a retryable
    /// upstream failure, never a success), take the usage, send with a Content-Length.
    /// </summary>
    private static async Task<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider,
        CancellationToken cancel)
    {
        using var json = await UpstreamExchange.ReadBoundedAsync(response, MaxResponseBytes, cancel);
        if (UpstreamExchange.CheckAnswer(json.Span, provider) is { } invalid) return AttemptOutcome.Failed(invalid);
        var usage = OpenAIUsageReader.Read(json.Span);
        var firstByte = Stopwatch.GetTimestamp();
        var client = context.Response;
        client.StatusCode = (int)response.StatusCode;
        client.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/json";
        client.ContentLength = json.Length;
        await client.Body.WriteAsync(json.Memory, context.RequestAborted);
        return new AttemptOutcome(AttemptResult.Completed, null, usage.Usage, usage.HasUsage, firstByte);
    }
}
