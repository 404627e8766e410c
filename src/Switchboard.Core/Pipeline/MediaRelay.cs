using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Switchboard.Providers;
using Switchboard.Streaming;

namespace Switchboard.Pipeline;

/// <summary>
/// Relays an answer that is neither JSON nor events (speech audio, a transcript as text, srt or vtt) to the client as
/// it arrives: each read from the upstream is written and flushed at once, never held whole, under the attempt's
/// first-byte, idle and total timeouts. Such an answer carries no usage; the operation meters it (characters).
/// </summary>
public static class MediaRelay
{
    private const int ChunkBytes = 16 * 1024;

    public static async Task<AttemptOutcome> RelayAsync(HttpContext context, HttpResponseMessage response, UpstreamProvider provider, AttemptClock clock)
    {
        var client = context.Response;
        long? firstByte = null;
        var chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            await using var upstream = await response.Content.ReadAsStreamAsync(clock.Token);
            while (true)
            {
                clock.Arm(firstByte is not null);
                int read;
                try
                {
                    read = await upstream.ReadAsync(chunk.AsMemory(0, ChunkBytes), clock.Token);
                }
                catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
                {
                    return Failed(context, clock.TimeoutError(provider, firstByte is not null), firstByte);
                }
                catch (Exception ex) when (ex is IOException or HttpRequestException)
                {
                    return Failed(context, UpstreamErrors.FromException(ex, provider, timedOut: false), firstByte);
                }
                if (firstByte is null)
                {
                    // Headers go with the first bytes (or the empty end): until then another deployment may still answer.
                    firstByte = Stopwatch.GetTimestamp();
                    client.StatusCode = (int)response.StatusCode;
                    client.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
                    if (response.Content.Headers.ContentLength is { } length) client.ContentLength = length;
                    context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                }
                if (read == 0) break;
                await client.Body.WriteAsync(chunk.AsMemory(0, read), context.RequestAborted);
                await client.Body.FlushAsync(context.RequestAborted);
            }
            return new AttemptOutcome(AttemptResult.Completed, null, default, false, firstByte);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptResult.ClientGone, null, default, false, firstByte);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>
    /// A failure before any byte went out may fall over to another deployment; after, the client's answer is cut:
    /// the connection is aborted so the client sees an incomplete body, never a clean end.
    /// </summary>
    private static AttemptOutcome Failed(HttpContext context, Errors.GatewayError error, long? firstByte)
    {
        if (firstByte is null) return AttemptOutcome.Failed(error);
        context.Abort();
        return new AttemptOutcome(AttemptResult.FailedAfterStart, error, default, false, firstByte);
    }
}
