using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;

namespace Switchboard.Bench.Upstream;

/// <summary>
/// The whole request path of the bench upstream: read the body, look at a few top-level members, and write
/// pre-serialized bytes. No routing, no JSON serializer, no per-request allocation beyond what Kestrel does.
/// </summary>
public sealed class ChatHandler(UpstreamOptions options)
{
    private static readonly StandardFormat StampFormat = new('D', CannedResponses.StampDigits);

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
        if (!HttpMethods.IsPost(request.Method) || path is not ("/v1/chat/completions" or "/chat/completions"))
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
        if (!knobs.Stream)
        {
            await WriteJsonAsync(response, 200, CannedResponses.Completion);
            return;
        }
        await StreamAsync(response, knobs, cancel);
    }

    private static async Task StreamAsync(HttpResponse response, RequestKnobs knobs, CancellationToken cancel)
    {
        var set = knobs.IncludeUsage ? CannedResponses.WithUsage : CannedResponses.WithoutUsage;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        var output = response.BodyWriter;

        if (!await SendAsync(output, set.Role, cancel)) return;
        // Chunks are scheduled against the stream's start, so timer jitter does not accumulate into drift.
        var start = Stopwatch.GetTimestamp();
        var interval = TimeSpan.FromMilliseconds(knobs.ChunkIntervalMs);
        for (var i = 0; i < knobs.Chunks; i++)
        {
            if (knobs.ChunkIntervalMs > 0)
            {
                var wait = (interval * (i + 1)) - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero) await Task.Delay(wait, cancel);
            }
            if (!await SendAsync(output, set.Content[i % set.Content.Length], cancel)) return;
        }
        if (!await SendAsync(output, set.Finish, cancel)) return;
        if (set.Usage is { } usage && !await SendAsync(output, usage, cancel)) return;
        output.Write(CannedResponses.Done);
        await output.FlushAsync(cancel);
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
        Utf8Formatter.TryFormat(Stopwatch.GetTimestamp(), span.Slice(sseEvent.StampOffset, CannedResponses.StampDigits), out _, StampFormat);
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
