using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Pipeline;
using Switchboard.Providers;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Streaming;

/// <summary>
/// Relays a stream between different wire formats: each upstream SSE event is read into canonical events and
/// written at once as the client's frames, then flushed. Nothing waits for the end of the stream.
/// </summary>
public static class TranslatingStreamRelay
{
    public static async Task<AttemptOutcome> RelayAsync(
        HttpContext context,
        HttpResponseMessage upstreamResponse,
        UpstreamProvider provider,
        IUpstreamStreamReader reader,
        IClientStreamWriter writer,
        IClientDialect dialect,
        AttemptClock clock)
    {
        var clientAborted = context.RequestAborted;
        var output = context.Response.BodyWriter;
        var events = new List<StreamEvent>(8);
        using var frames = new PooledBuffer(1024);
        var started = false;
        long? firstByte = null;
        TokenUsage usage = default;
        var usageReported = false;
        byte[]? scratch = null;
        GatewayError? failure = null;

        var pipe = UpstreamPipe.Reader(await upstreamResponse.Content.ReadAsStreamAsync(clock.Token));
        try
        {
            var ended = false;
            while (!ended && failure is null)
            {
                clock.Arm(started);
                var result = await pipe.ReadAsync(clock.Token);
                var buffer = result.Buffer;
                while (failure is null && SseFraming.TryReadEvent(ref buffer, out var sseEvent))
                {
                    var data = SseFraming.GetData(sseEvent, ref scratch);
                    if (data.IsEmpty) continue;
                    var name = SseFraming.GetEventName(sseEvent, ref scratch);
                    events.Clear();
                    if (!reader.TryRead(name, data, events, out var invalid))
                    {
                        failure = StreamFailures.Garbled(provider, invalid?.ToString());
                        break;
                    }
                    failure = Inspect(events, provider, ref usage, ref usageReported);
                    if (failure is not null && !started) break;
                    if (failure is not null) events.RemoveAll(e => e is StreamErrorEvent);
                    if (await WriteAsync(events)) return Outcome(AttemptResult.ClientGone);
                }
                pipe.AdvanceTo(buffer.Start, buffer.End);
                ended = result.IsCompleted;
            }
        }
        catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
        {
            return Outcome(AttemptResult.ClientGone);
        }
        catch (OperationCanceledException)
        {
            failure = clock.TimeoutError(provider, started);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            failure = StreamFailures.Broken(provider);
        }
        finally
        {
            await pipe.CompleteAsync();
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }

        if (failure is null)
        {
            events.Clear();
            reader.Complete(events);
            failure = Inspect(events, provider, ref usage, ref usageReported);
            if (failure is null && await WriteAsync(events)) return Outcome(AttemptResult.ClientGone);
        }
        if (failure is null && !reader.IsComplete)
        {
            failure = StreamFailures.Truncated(provider);
        }
        if (failure is null)
        {
            if (!started) Start();
            writer.Finish(output);
            await output.FlushAsync(clientAborted);
            return Outcome(AttemptResult.Completed);
        }
        if (!started) return new AttemptOutcome(AttemptResult.FailedBeforeStart, failure, usage, usageReported, null);

        // Bytes already reached the client: end with an explicit error in its dialect, never a clean end.
        if (!clientAborted.IsCancellationRequested)
        {
            dialect.WriteStreamError(failure, output);
            await output.FlushAsync(clientAborted);
        }
        return Outcome(AttemptResult.FailedAfterStart);

        AttemptOutcome Outcome(AttemptResult kind) =>
            new(kind, kind == AttemptResult.FailedAfterStart ? failure : null, usage, usageReported, firstByte);

        void Start()
        {
            EventStreamResponse.Start(context);
            started = true;
            firstByte = Stopwatch.GetTimestamp();
        }

        // Writes the client frames for one upstream event and flushes them; true when the client is gone.
        async ValueTask<bool> WriteAsync(List<StreamEvent> batch)
        {
            if (batch.Count == 0) return false;
            frames.Clear();
            writer.Write(batch, frames);
            if (frames.Length == 0) return false;
            if (!started) Start();
            output.Write(frames.Span);
            var flush = await output.FlushAsync(clientAborted);
            return flush.IsCompleted || flush.IsCanceled;
        }
    }

    /// <summary>Takes usage and errors out of a batch of canonical events.</summary>
    private static GatewayError? Inspect(List<StreamEvent> events, UpstreamProvider provider, ref TokenUsage usage, ref bool reported)
    {
        foreach (var e in events)
        {
            switch (e)
            {
                case UsageEvent u:
                    usage = UsageConversion.ToTokenUsage(u.Usage);
                    reported = true;
                    break;
                case StreamErrorEvent error:
                    return StreamFailures.Reported(provider, error.Code ?? error.Type, error.Message);
            }
        }
        return null;
    }
}
