using System.Buffers;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Pipeline;
using Switchboard.Providers;

namespace Switchboard.Streaming;

/// <summary>
/// The one loop that relays an upstream SSE stream to the client, whatever is done with each event (forwarded as
/// received, observed, translated: its <see cref="IStreamStrategy"/>). It owns what every stream shares: reading
/// whole events from the upstream, the first-byte / idle / total timeouts, the client going away (which cancels the
/// upstream), flushing every event at once (a stream is never buffered), and the ending: a clean end, a failure
/// before anything was sent (another deployment may answer), or an error frame in the client's dialect after.
/// </summary>
public static class StreamRelay
{
    public static async Task<AttemptOutcome> RelayAsync<TStrategy>(HttpContext context, HttpResponseMessage upstreamResponse,
        UpstreamProvider provider, IClientDialect dialect, AttemptClock clock, TStrategy strategy)
        where TStrategy : struct, IStreamStrategy
    {
        var clientAborted = context.RequestAborted;
        var output = context.Response.BodyWriter;
        var progress = new StreamProgress();
        long? firstByte = null;
        var errorSent = false;
        try
        {
            var pipe = UpstreamPipe.Reader(await upstreamResponse.Content.ReadAsStreamAsync(clock.Token));
            byte[]? scratch = null;
            try
            {
                var ended = false;
                while (!ended)
                {
                    clock.Arm(progress.Started);
                    var result = await pipe.ReadAsync(clock.Token);
                    var buffer = result.Buffer;
                    while (SseFraming.TryReadEvent(ref buffer, out var sseEvent))
                    {
                        var data = SseFraming.GetData(sseEvent, ref scratch);
                        var name = strategy.ReadsEventNames && !data.IsEmpty ? SseFraming.GetEventName(sseEvent, ref scratch) : default;
                        var verdict = strategy.Read(sseEvent, name, data, ref progress);
                        // Garbage is never sent; nor is anything after a failure before the start (it may fall over invisibly).
                        if (progress.Failure is not null && (!progress.Started || verdict == EventVerdict.Skip)) break;
                        if (verdict == EventVerdict.Skip) continue;
                        Start(context, ref progress, ref firstByte);
                        strategy.Write(sseEvent, output);
                        var flush = await output.FlushAsync(clientAborted);
                        if (flush.IsCompleted || flush.IsCanceled) return Outcome(AttemptResult.ClientGone, progress, firstByte);
                        if (progress.Failure is not null)
                        {
                            errorSent = strategy.SendsUpstreamErrors;
                            break;
                        }
                        if (verdict == EventVerdict.SendLast)
                        {
                            ended = true;
                            break;
                        }
                    }
                    pipe.AdvanceTo(buffer.Start, buffer.End);
                    ended |= result.IsCompleted || progress.Failure is not null;
                }
            }
            catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
            {
                return Outcome(AttemptResult.ClientGone, progress, firstByte);
            }
            catch (OperationCanceledException)
            {
                progress.Failure = clock.TimeoutError(provider, progress.Started);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                progress.Failure = StreamFailures.Broken(provider, ex);
            }
            finally
            {
                await pipe.CompleteAsync();
                if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
            }

            if (progress.Failure is null && strategy.End(ref progress) != EventVerdict.Skip && progress.Failure is null)
            {
                Start(context, ref progress, ref firstByte);
                strategy.Write(default, output);
                var flush = await output.FlushAsync(clientAborted);
                if (flush.IsCompleted || flush.IsCanceled) return Outcome(AttemptResult.ClientGone, progress, firstByte);
            }
            if (progress.Failure is null && !strategy.IsComplete) progress.Failure = StreamFailures.Truncated(provider);
            if (progress.Failure is null)
            {
                if (strategy.Finish() != EventVerdict.Skip)
                {
                    Start(context, ref progress, ref firstByte);
                    strategy.Write(default, output);
                    await output.FlushAsync(clientAborted);
                }
                return Outcome(AttemptResult.Completed, progress, firstByte);
            }
            if (!progress.Started) return new AttemptOutcome(AttemptResult.FailedBeforeStart, progress.Failure, progress.Usage, progress.UsageReported, null);

            // Bytes already reached the client: end with an explicit error in its dialect, never a clean end.
            if (!errorSent && !clientAborted.IsCancellationRequested)
            {
                if (!strategy.TryWriteFailure(progress.Failure, output)) dialect.WriteStreamError(progress.Failure, output);
                await output.FlushAsync(clientAborted);
            }
            return new AttemptOutcome(AttemptResult.FailedAfterStart, progress.Failure, progress.Usage, progress.UsageReported, firstByte);
        }
        finally
        {
            strategy.Dispose();
        }
    }

    private static void Start(HttpContext context, ref StreamProgress progress, ref long? firstByte)
    {
        if (progress.Started) return;
        EventStreamResponse.Start(context);
        progress.Started = true;
        firstByte = Stopwatch.GetTimestamp();
    }

    private static AttemptOutcome Outcome(AttemptResult result, in StreamProgress progress, long? firstByte) =>
        new(result, null, progress.Usage, progress.UsageReported, firstByte);
}
