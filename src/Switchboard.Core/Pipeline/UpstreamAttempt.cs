using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Routing;
using Switchboard.Telemetry;
using Switchboard.Usage;

namespace Switchboard.Pipeline;

/// <summary>
/// What differs between kinds of attempt once the upstream answered 2xx: how its stream is relayed (a
/// <see cref="Streaming.StreamRelay"/> strategy) and how its whole JSON answer reaches the client. Implemented by
/// structs passed as a generic argument, so choosing one costs neither an allocation nor a virtual call.
/// </summary>
public interface IAttemptAnswer
{
    Task<AttemptOutcome> RelayStreamAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock);

    /// <summary>Relays a whole (non-streamed) answer; <paramref name="json"/> stays valid until the returned task ends.</summary>
    ValueTask<AttemptOutcome> RelayJsonAsync(HttpContext context, HttpResponseMessage response, PooledBuffer json, UpstreamProvider provider);
}

/// <summary>One attempt once its request is built, the same for every kind: send, map an error status, relay the answer.</summary>
public static class UpstreamAttempt
{
    /// <summary>Largest upstream JSON answer accepted for a non-streaming request.</summary>
    public const int MaxResponseBytes = 64 * 1024 * 1024;

    /// <summary>
    /// Sends <paramref name="request"/> (disposed at the end, with <paramref name="ownedBody"/>, a body buffer made for
    /// this attempt alone) under the deployment's timeouts and relays what comes back as <paramref name="answer"/> says.
    /// <paramref name="media"/>: an answer that is neither JSON nor events (audio, text, subtitles) is relayed as it
    /// arrives (<see cref="MediaRelay"/>).
    /// </summary>
    public static async Task<AttemptOutcome> RunAsync<TAnswer>(HttpContext context, RoutedDeployment deployment, HttpRequestMessage request,
        bool stream, TAnswer answer, CancellationToken shutdown, PooledBuffer? ownedBody = null, bool media = false)
        where TAnswer : struct, IAttemptAnswer
    {
        using var owned = ownedBody;
        using var message = request;
        var provider = deployment.Provider;
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
                    return await answer.RelayStreamAsync(context, response, provider, clock);
                }
                if (media && response.Content.Headers.ContentType?.MediaType is not "application/json")
                {
                    return await MediaRelay.RelayAsync(context, response, provider, clock);
                }
                using var json = await UpstreamExchange.ReadBoundedAsync(response, MaxResponseBytes, clock.Token);
                return await answer.RelayJsonAsync(context, response, json, provider);
            }
            catch (Exception ex) when (UpstreamExchange.Classify(ex, context, provider, clock) is { } outcome)
            {
                return outcome;
            }
        }
    }

    /// <summary>Sends a whole answer with a Content-Length; the attempt completed with <paramref name="usage"/> (null: none reported).</summary>
    public static async ValueTask<AttemptOutcome> AnswerAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body, TokenUsage? usage)
    {
        var firstByte = Stopwatch.GetTimestamp();
        GatewaySpans.RecordOutput(body.Span);
        var client = context.Response;
        client.StatusCode = status;
        client.ContentType = contentType;
        client.ContentLength = body.Length;
        await client.Body.WriteAsync(body, context.RequestAborted);
        return new AttemptOutcome(AttemptResult.Completed, null, usage ?? default, usage is not null, firstByte);
    }
}
