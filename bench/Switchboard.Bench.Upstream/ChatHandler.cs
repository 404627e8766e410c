using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// The whole request path of the bench upstream: read the body, look at a few top-level members, and write
/// pre-serialized bytes. No routing, no JSON serializer, no per-request allocation beyond what Kestrel does.
/// Four dialects: OpenAI chat completions, the OpenAI Responses API, Anthropic Messages, Gemini generateContent.
/// </summary>
public sealed class ChatHandler(UpstreamOptions options)
{
    private static readonly StandardFormat StampFormat = new('D', CannedResponses.StampDigits);

    private enum Dialect { OpenAI, Responses, Anthropic, Gemini, GeminiStream }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Path.Value;
        if (HttpMethods.IsGet(request.Method) && path == "/health")
        {
            response.StatusCode = 200;
            return;
        }
        if (HttpMethods.IsPost(request.Method) && path is "/v1/traces" or "/v1/metrics" or "/v1/logs")
        {
            // An OTLP/HTTP sink for benchmarks of the gateway with telemetry export on: read and drop.
            await request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            response.StatusCode = 200;
            response.ContentType = "application/x-protobuf";
            return;
        }
        Dialect? dialect = !HttpMethods.IsPost(request.Method) || path is null ? null
            : path is "/v1/chat/completions" or "/chat/completions" ? Dialect.OpenAI
            : path is "/v1/responses" or "/responses" ? Dialect.Responses
            : path is "/v1/messages" ? Dialect.Anthropic
            : !path.StartsWith("/v1beta/models/", StringComparison.Ordinal) ? null
            : path.EndsWith(":generateContent", StringComparison.Ordinal) ? Dialect.Gemini
            : path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) ? Dialect.GeminiStream
            : null;
        if (dialect is not { } kind)
        {
            await WriteJsonAsync(response, 404, CannedResponses.NotFound);
            return;
        }

        var cancel = context.RequestAborted;
        var reader = request.BodyReader;
        ReadResult body;
        while (true)
        {
            body = await reader.ReadAsync(cancel);
            if (body.IsCompleted || body.IsCanceled) break;
            reader.AdvanceTo(body.Buffer.Start, body.Buffer.End);
        }
        var valid = RequestKnobs.TryParse(body.Buffer, options, out var knobs);
        reader.AdvanceTo(body.Buffer.End);
        if (!valid)
        {
            await WriteJsonAsync(response, 400, CannedResponses.BadJson);
            return;
        }

        if (knobs.DelayMs > 0) await Task.Delay(knobs.DelayMs, cancel);
        switch (kind)
        {
            case Dialect.OpenAI when !knobs.Stream:
                await WriteJsonAsync(response, 200, CannedResponses.Completion);
                break;
            case Dialect.OpenAI:
                await StreamOpenAIAsync(response, knobs, cancel);
                break;
            case Dialect.Responses when !knobs.Stream:
                await ResponsesApiAnswers.WriteUniqueAsync(response);
                break;
            case Dialect.Responses:
                await StreamResponsesAsync(response, knobs, cancel);
                break;
            case Dialect.Anthropic when !knobs.Stream:
                await WriteJsonAsync(response, 200, AnthropicResponses.Message);
                break;
            case Dialect.Anthropic:
                await StreamAnthropicAsync(response, knobs, cancel);
                break;
            case Dialect.Gemini:
                await WriteJsonAsync(response, 200, GeminiResponses.Response);
                break;
            default:
                await StreamGeminiAsync(response, knobs, cancel);
                break;
        }
    }

    private static PipeWriter StartStream(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        return response.BodyWriter;
    }

    /// <summary>Role chunk at once; content chunk i at (i + 1) × interval; finish, usage and [DONE] after the last.</summary>
    private static async Task StreamOpenAIAsync(HttpResponse response, RequestKnobs knobs, CancellationToken cancel)
    {
        var set = (knobs.IncludeUsage, knobs.TextStamp) switch
        {
            (true, false) => CannedResponses.WithUsage,
            (false, false) => CannedResponses.WithoutUsage,
            (true, true) => CannedResponses.TextStampedWithUsage,
            (false, true) => CannedResponses.TextStampedWithoutUsage,
        };
        var output = StartStream(response);
        if (!await SendAsync(output, set.Role, cancel)) return;
        // Chunks are scheduled against the stream's start, so timer jitter does not accumulate into drift.
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < knobs.Chunks; i++)
        {
            if (!await WaitForAsync(start, knobs.ChunkIntervalMs, i + 1, cancel)) return;
            if (!await SendAsync(output, set.Content[i % set.Content.Length], cancel)) return;
        }
        if (!await SendAsync(output, set.Finish, cancel)) return;
        if (set.Usage is { } usage && !await SendAsync(output, usage, cancel)) return;
        output.Write(CannedResponses.Done);
        await output.FlushAsync(cancel);
    }

    /// <summary>
    /// message_start, content_block_start and ping at once (each flushed on its own, as the API sends them); content
    /// delta i at (i + 1) × interval, as OpenAI's; then content_block_stop, message_delta and message_stop.
    /// </summary>
    private static Task StreamAnthropicAsync(HttpResponse response, RequestKnobs knobs, CancellationToken cancel) =>
        StreamHeadContentTailAsync(response, knobs.Chunks, knobs.ChunkIntervalMs, AnthropicResponses.Head,
            static i => AnthropicResponses.Content[i % AnthropicResponses.Content.Length], AnthropicResponses.Tail, cancel);

    /// <summary>The Responses API's four head events at once, output_text.delta i at (i + 1) × interval, then the tail.</summary>
    private static Task StreamResponsesAsync(HttpResponse response, RequestKnobs knobs, CancellationToken cancel) =>
        StreamHeadContentTailAsync(response, knobs.Chunks, knobs.ChunkIntervalMs, ResponsesApiAnswers.Head, ResponsesApiAnswers.Delta,
            ResponsesApiAnswers.Tail(knobs.Chunks), cancel);

    /// <summary>The head events at once (each flushed on its own); content event i at (i + 1) × interval; the tail events.</summary>
    private static async Task StreamHeadContentTailAsync(HttpResponse response, int chunks, int intervalMs,
        CannedResponses.StampedEvent[] head, Func<int, CannedResponses.StampedEvent> content, CannedResponses.StampedEvent[] tail,
        CancellationToken cancel)
    {
        var output = StartStream(response);
        foreach (var sseEvent in head)
        {
            if (!await SendAsync(output, sseEvent, cancel)) return;
        }
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < chunks; i++)
        {
            if (!await WaitForAsync(start, intervalMs, i + 1, cancel)) return;
            if (!await SendAsync(output, content(i), cancel)) return;
        }
        foreach (var sseEvent in tail)
        {
            if (!await SendAsync(output, sseEvent, cancel)) return;
        }
    }

    /// <summary>
    /// Gemini has no head event: chunk i (one token) at i × interval, so the first token leaves at once; the last
    /// chunk carries the finish reason and the full usage. No [DONE]: the stream just ends.
    /// </summary>
    private static async Task StreamGeminiAsync(HttpResponse response, RequestKnobs knobs, CancellationToken cancel)
    {
        var output = StartStream(response);
        var start = Stopwatch.GetTimestamp();
        var chunks = Math.Max(1, knobs.Chunks);
        for (var i = 0; i < chunks; i++)
        {
            if (!await WaitForAsync(start, knobs.ChunkIntervalMs, i, cancel)) return;
            var events = i == chunks - 1 ? GeminiResponses.Last : GeminiResponses.Content;
            if (!await SendAsync(output, events[i % events.Length], cancel)) return;
        }
    }

    /// <summary>Waits until <paramref name="slot"/> intervals after <paramref name="start"/>; false once cancelled.</summary>
    private static async ValueTask<bool> WaitForAsync(long start, int intervalMs, int slot, CancellationToken cancel)
    {
        if (intervalMs <= 0 || slot <= 0) return !cancel.IsCancellationRequested;
        var wait = (TimeSpan.FromMilliseconds(intervalMs) * slot) - Stopwatch.GetElapsedTime(start);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel);
        return true;
    }

    /// <summary>Copies the event into the response, stamps the send time into it, and flushes it on its own.</summary>
    private static async ValueTask<bool> SendAsync(PipeWriter output, CannedResponses.StampedEvent sseEvent, CancellationToken cancel)
    {
        Stamp(output, sseEvent);
        var flushed = await output.FlushAsync(cancel);
        return !flushed.IsCompleted && !flushed.IsCanceled;
    }

    private static void Stamp(PipeWriter output, CannedResponses.StampedEvent sseEvent)
    {
        var bytes = sseEvent.Bytes;
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        if (sseEvent.StampOffset >= 0)
        {
            Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), span.Slice(sseEvent.StampOffset, CannedResponses.StampDigits), out _, StampFormat);
        }
        output.Advance(bytes.Length);
    }

    private static ValueTask WriteJsonAsync(HttpResponse response, int status, byte[] json)
    {
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = json.Length;
        return response.Body.WriteAsync(json);
    }
}
