using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Switchboard.Dialects;
using Switchboard.Errors;
using Switchboard.Pipeline;
using Switchboard.Providers;
using Switchboard.Translation.Canonical;
using Switchboard.Usage;

namespace Switchboard.Streaming;

/// <summary>
/// Relays a stream whose wire the client already speaks (e.g. Anthropic → Anthropic): every event's bytes go out
/// as received and are flushed at once, while the upstream's own stream reader watches them for usage, the end of
/// the message and in-stream errors. Nothing is re-encoded, so nothing the gateway does not model is lost — except an
/// error event, relayed in its own shape with every string scrubbed of secrets (upstreams echo keys).
/// </summary>
public static class ObservedStreamRelay
{
    public static async Task<AttemptOutcome> RelayAsync(HttpContext context, HttpResponseMessage upstreamResponse,
        UpstreamProvider provider, IUpstreamStreamReader observer, IClientDialect dialect, AttemptClock clock)
    {
        var clientAborted = context.RequestAborted;
        var output = context.Response.BodyWriter;
        var events = new List<StreamEvent>(8);
        var started = false;
        long? firstByte = null;
        TokenUsage usage = default;
        var usageReported = false;
        var errorForwarded = false;
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
                    byte[]? scrubbedError = null;
                    if (!data.IsEmpty)
                    {
                        var name = SseFraming.GetEventName(sseEvent, ref scratch);
                        events.Clear();
                        // The observer may stop reading an event it has no use for (a ping): the whole event is checked here.
                        var kind = WireJson.Check(data);
                        if (kind == WireJsonKind.Invalid || (!observer.TryRead(name, data, events, out var invalid)
                            && invalid?.Code is Translation.ValidationError.InvalidJson or Translation.ValidationError.InvalidType))
                        {
                            // Garbage is never relayed; the client gets the error instead (or another deployment, before start).
                            failure = StreamFailures.Garbled(provider, null);
                            break;
                        }
                        foreach (var e in events)
                        {
                            if (e is UsageEvent u)
                            {
                                usage = UsageConversion.ToTokenUsage(u.Usage);
                                usageReported = true;
                            }
                            else if (e is StreamErrorEvent error)
                            {
                                failure = StreamFailures.Reported(provider, error.Code ?? error.Type, error.Message);
                            }
                        }
                        // An error before anything was sent may still fall over invisibly; after, the client sees it, scrubbed.
                        if (failure is not null && !started) break;
                        if (failure is not null || kind == WireJsonKind.Error) scrubbedError = ScrubbedEvent(name, data, provider);
                    }
                    if (!started)
                    {
                        EventStreamResponse.Start(context);
                        started = true;
                        firstByte = Stopwatch.GetTimestamp();
                    }
                    if (scrubbedError is null)
                    {
                        foreach (var segment in sseEvent) output.Write(segment.Span);
                    }
                    else
                    {
                        output.Write(scrubbedError);
                    }
                    var flush = await output.FlushAsync(clientAborted);
                    if (flush.IsCompleted || flush.IsCanceled) return new AttemptOutcome(AttemptResult.ClientGone, null, usage, usageReported, firstByte);
                    errorForwarded = failure is not null;
                }
                pipe.AdvanceTo(buffer.Start, buffer.End);
                ended = result.IsCompleted;
            }
        }
        catch (OperationCanceledException) when (clientAborted.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptResult.ClientGone, null, usage, usageReported, firstByte);
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

        if (failure is null && !observer.IsComplete)
        {
            failure = StreamFailures.Truncated(provider);
        }
        if (failure is null) return new AttemptOutcome(AttemptResult.Completed, null, usage, usageReported, firstByte);
        if (!started) return new AttemptOutcome(AttemptResult.FailedBeforeStart, failure, usage, usageReported, null);
        if (!errorForwarded && !clientAborted.IsCancellationRequested)
        {
            dialect.WriteStreamError(failure, output);
            await output.FlushAsync(clientAborted);
        }
        return new AttemptOutcome(AttemptResult.FailedAfterStart, failure, usage, usageReported, firstByte);
    }

    /// <summary>The error event again (<c>event:</c> name and <c>data:</c>), its JSON's strings scrubbed of secrets.</summary>
    private static byte[] ScrubbedEvent(ReadOnlySpan<byte> name, ReadOnlySpan<byte> data, UpstreamProvider provider)
    {
        var json = SecretScrubber.ScrubJson(data, provider.Config.ApiKey);
        var frame = new List<byte>(json.Length + name.Length + 16);
        if (!name.IsEmpty)
        {
            frame.AddRange("event: "u8);
            frame.AddRange(name);
            frame.Add((byte)'\n');
        }
        frame.AddRange("data: "u8);
        frame.AddRange(json);
        frame.AddRange("\n\n"u8);
        return [.. frame];
    }
}
