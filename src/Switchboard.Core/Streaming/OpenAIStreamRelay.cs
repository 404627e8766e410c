using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Pipeline;
using Switchboard.Providers;
using Switchboard.Providers.OpenAI;
using Switchboard.Usage;

namespace Switchboard.Streaming;

/// <summary>
/// Relays an OpenAI-wire SSE stream to an OpenAI-dialect client event by event: each event's bytes are written
/// as received and flushed at once. The relay only looks inside events to check each is a well-formed JSON object
/// (garbage is never relayed), to learn usage, to drop the usage chunk the gateway asked for on the client's behalf,
/// to tell a finished stream from a cut one, and to scrub secrets from an upstream error event (the one event it
/// rewrites).
/// </summary>
public static class OpenAIStreamRelay
{
    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    public static async Task<AttemptOutcome> RelayAsync(
        HttpContext context,
        HttpResponseMessage upstreamResponse,
        UpstreamProvider provider,
        bool clientWantsUsage,
        AttemptClock clock)
    {
        var clientAborted = context.RequestAborted;
        var output = context.Response.BodyWriter;
        var started = false;
        long? firstByte = null;
        bool sawDone = false, sawFinish = false;
        var usage = default(TokenUsage);
        var usageReported = false;
        byte[]? scratch = null;
        GatewayError? failure = null;
        var errorForwarded = false;

        var upstream = await upstreamResponse.Content.ReadAsStreamAsync(clock.Token);
        var reader = UpstreamPipe.Reader(upstream);
        try
        {
            while (!sawDone)
            {
                clock.Arm(started);
                var result = await reader.ReadAsync(clock.Token);
                var buffer = result.Buffer;
                while (!sawDone && SseFraming.TryReadEvent(ref buffer, out var sseEvent))
                {
                    var data = SseFraming.GetData(sseEvent, ref scratch);
                    var forward = true;
                    byte[]? scrubbedError = null;
                    if (data.SequenceEqual("[DONE]"u8))
                    {
                        sawDone = true;
                    }
                    else if (!data.IsEmpty)
                    {
                        var kind = WireJson.Check(data);
                        if (kind == WireJsonKind.Invalid)
                        {
                            // Never relayed: a client must not have to parse garbage before it learns the stream failed.
                            failure = StreamFailures.Garbled(provider, null);
                            break;
                        }
                        if (kind == WireJsonKind.Error)
                        {
                            failure = StreamErrorEvent(data, provider);
                            if (!started) break;
                            // Relayed in the upstream's own shape, but never with a secret it echoed (the provider key).
                            scrubbedError = SecretScrubber.ScrubJson(data, provider.Config.ApiKey);
                        }
                        else if (HasProperty(data, "\"finish_reason\""u8, nullAllowed: false)) sawFinish = true;
                        if (HasProperty(data, "\"usage\""u8, nullAllowed: false))
                        {
                            var read = OpenAIUsageReader.Read(data);
                            if (read.HasUsage)
                            {
                                usage = read.Usage;
                                usageReported = true;
                                // We asked for the usage chunk on the client's behalf: it never asked, so it never sees it.
                                if (!clientWantsUsage && read.ChoicesEmpty) forward = false;
                            }
                        }
                    }
                    if (!forward) continue;
                    if (!started)
                    {
                        EventStreamResponse.Start(context);
                        started = true;
                        firstByte = Stopwatch.GetTimestamp();
                    }
                    if (scrubbedError is null)
                    {
                        Write(output, sseEvent);
                    }
                    else
                    {
                        WriteData(output, scrubbedError);
                        errorForwarded = true;
                    }
                    var flush = await output.FlushAsync(clientAborted);
                    if (flush.IsCompleted || flush.IsCanceled) return new AttemptOutcome(AttemptResult.ClientGone, null, usage, usageReported, firstByte);
                    if (failure is not null) break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (failure is not null || result.IsCompleted) break;
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
            await reader.CompleteAsync();
            if (scratch is not null) ArrayPool<byte>.Shared.Return(scratch);
        }

        if (failure is null && !sawDone)
        {
            if (sawFinish)
            {
                // Some OpenAI-compatible servers end after the finish chunk without [DONE]: the answer is whole, so say so.
                if (!started) EventStreamResponse.Start(context);
                output.Write(DoneEvent);
                await output.FlushAsync(clientAborted);
                return new AttemptOutcome(AttemptResult.Completed, null, usage, usageReported, firstByte ?? Stopwatch.GetTimestamp());
            }
            failure = StreamFailures.Truncated(provider);
        }
        if (failure is null) return new AttemptOutcome(AttemptResult.Completed, null, usage, usageReported, firstByte);
        if (!started) return new AttemptOutcome(AttemptResult.FailedBeforeStart, failure, usage, usageReported, null);

        // Bytes already reached the client: end with an explicit error event, never a clean end (and no [DONE]).
        if (!clientAborted.IsCancellationRequested && !errorForwarded)
        {
            WriteData(output, OpenAIErrorWriter.ToUtf8(failure));
            await output.FlushAsync(clientAborted);
        }
        return new AttemptOutcome(AttemptResult.FailedAfterStart, failure, usage, usageReported, firstByte);
    }

    private static void Write(PipeWriter output, in ReadOnlySequence<byte> sseEvent)
    {
        foreach (var segment in sseEvent) output.Write(segment.Span);
    }

    private static void WriteData(PipeWriter output, ReadOnlySpan<byte> json)
    {
        output.Write("data: "u8);
        output.Write(json);
        output.Write("\n\n"u8);
    }

    /// <summary>An OpenAI mid-stream error (<c>{"error": {...}}</c>) as the attempt's failure, its message scrubbed.</summary>
    private static GatewayError StreamErrorEvent(ReadOnlySpan<byte> data, UpstreamProvider provider)
    {
        var info = OpenAIErrorBody.Read(data);
        var message = info?.Message ?? System.Text.Encoding.UTF8.GetString(data.Length > 1000 ? data[..1000] : data);
        return StreamFailures.Reported(provider, info?.Code ?? info?.Type, message);
    }

    /// <summary>
    /// True when <paramref name="name"/> occurs with a value other than null (whitespace around the colon allowed,
    /// as Python servers emit it). A cheap scan that decides whether an event needs a real parse.
    /// </summary>
    internal static bool HasProperty(ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, bool nullAllowed)
    {
        while (true)
        {
            var at = data.IndexOf(name);
            if (at < 0) return false;
            data = data[(at + name.Length)..];
            var rest = data.TrimStart(" \t"u8);
            if (rest.IsEmpty || rest[0] != (byte)':') continue;
            rest = rest[1..].TrimStart(" \t"u8);
            if (nullAllowed || !rest.StartsWith("null"u8)) return true;
        }
    }
}
