using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream;

/// <summary>
/// How a dialect frames its stream: media type, event terminator, the broken frames garbage_after sends (<c>open</c>:
/// cut JSON; <c>shaped</c>: braces around something that is not JSON) and the mid-stream error event error_after sends
/// (the dialect's real shape; its argument is the message).
/// </summary>
internal sealed record SseFraming(string ContentType, byte[] Terminator, byte[] GarbageFrame, byte[] ShapedGarbageFrame, Func<string, string> ErrorFrame)
{
    public static readonly SseFraming OpenAI = new("text/event-stream; charset=utf-8", "\n\n"u8.ToArray(), "data: {not json\n\n"u8.ToArray(),
        "data: {\"choices\": not json}\n\n"u8.ToArray(),
        m => $"data: {{\"error\":{{\"message\":{Quote(m)},\"type\":\"server_error\",\"param\":null,\"code\":null}}}}\n\n");

    /// <summary>
    /// The Responses API names every event like Anthropic; its mid-stream error is the recorded <c>error</c> event
    /// (<c>{"type":"error","error":{type, code, message, param}}</c>), and it sends no <c>[DONE]</c>.
    /// </summary>
    public static readonly SseFraming Responses = new(
        "text/event-stream; charset=utf-8", "\n\n"u8.ToArray(), "event: response.output_text.delta\ndata: {not json\n\n"u8.ToArray(),
        "event: response.output_text.delta\ndata: {\"type\": \"response.output_text.delta\", not json}\n\n"u8.ToArray(),
        m => $"event: error\ndata: {{\"type\":\"error\",\"error\":{{\"type\":\"server_error\",\"code\":\"server_error\",\"message\":{Quote(m)},\"param\":null}}}}\n\n");

    /// <summary>Anthropic names every event (<c>event: ...</c>); the garbage frame is a delta whose data is not JSON.</summary>
    public static readonly SseFraming Anthropic = new(
        "text/event-stream; charset=utf-8", "\n\n"u8.ToArray(), "event: content_block_delta\ndata: {not json\n\n"u8.ToArray(),
        "event: content_block_delta\ndata: {\"type\": \"content_block_delta\", not json}\n\n"u8.ToArray(),
        m => $"event: error\ndata: {{\"type\":\"error\",\"error\":{{\"type\":\"overloaded_error\",\"message\":{Quote(m)}}}}}\n\n");

    /// <summary>Gemini's <c>alt=sse</c> stream ends every event with CRLF CRLF.</summary>
    public static readonly SseFraming Gemini = new("text/event-stream", "\r\n\r\n"u8.ToArray(), "data: {not json\r\n\r\n"u8.ToArray(),
        "data: {\"candidates\": not json}\r\n\r\n"u8.ToArray(), m => $"data: {GeminiError(m)}\r\n\r\n");

    /// <summary>Gemini without <c>alt=sse</c>: one JSON array written element by element.</summary>
    public static readonly SseFraming GeminiJsonArray = new("application/json; charset=UTF-8", [], ",\r\n{not json"u8.ToArray(),
        ",\r\n{\"candidates\": not json}"u8.ToArray(), m => $",\r\n{GeminiError(m)}\r\n]");

    private static string Quote(string text) => JsonSerializer.Serialize(text);

    private static string GeminiError(string message) =>
        $"{{\"error\":{{\"code\":503,\"message\":{Quote(message)},\"status\":\"UNAVAILABLE\"}}}}";

    /// <summary>The message error_after sends in each dialect (what the real APIs say when overloaded mid-answer).</summary>
    public string DefaultErrorMessage => ReferenceEquals(this, Anthropic) ? "Overloaded"
        : ReferenceEquals(this, OpenAI) || ReferenceEquals(this, Responses) ? "The server had an error while processing your request. Sorry about that!"
        : "The model is overloaded. Please try again later.";
}

/// <summary>
/// Writes one SSE answer event by event and applies the stream knobs (chunk_delay_ms, truncate_after,
/// reset_after, garbage_after). It also owns the stream's fate for <c>/_mock/stats</c>: exactly one of
/// completed / aborted-by-client / cut-by-server, decided by the first to happen.
/// </summary>
internal sealed class SseStream : IDisposable
{
    private const int Running = 0;
    private const int Completed = 1;
    private const int AbortedByClient = 2;
    private const int ResetByServer = 3;

    private const int ResetGraceMs = 20;

    private static readonly byte[] DoneFrame = "data: [DONE]\n\n"u8.ToArray();

    private readonly HttpContext _ctx;
    private readonly SseFraming _framing;
    private readonly Knobs _knobs;
    private readonly MockState _state;
    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private CancellationTokenRegistration _abortRegistration;
    private int _fate = Running;
    private int _eventsWritten;

    private SseStream(HttpContext ctx, Knobs knobs, MockState state, SseFraming framing)
    {
        _ctx = ctx;
        _framing = framing;
        _knobs = knobs;
        _state = state;
        _pipe = ctx.Response.BodyWriter;
        _json = new Utf8JsonWriter(_pipe, JsonShape.WriterOptions);
    }

    public CancellationToken Aborted => _ctx.RequestAborted;

    /// <summary>Sets status and headers, counts the stream as started and starts watching for the client going away.</summary>
    public static SseStream Create(HttpContext ctx, Knobs knobs, MockState state) => Create(ctx, knobs, state, SseFraming.OpenAI);

    /// <inheritdoc cref="Create(HttpContext, Knobs, MockState)"/>
    public static SseStream Create(HttpContext ctx, Knobs knobs, MockState state, SseFraming framing)
    {
        var stream = new SseStream(ctx, knobs, state, framing);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = framing.ContentType;
        ctx.Response.Headers.CacheControl = "no-cache";
        state.OnStreamStarted();
        // The callback fires the moment Kestrel sees the disconnect, even while we sleep between chunks:
        // tests rely on the counter moving promptly once the gateway cancels its upstream request.
        stream._abortRegistration = ctx.RequestAborted.UnsafeRegister(static s => ((SseStream)s!).OnClientGone(), stream);
        return stream;
    }

    /// <summary>Sends the headers now, so the client sees the stream open before the first (possibly delayed) event.</summary>
    public Task SendHeadersAsync() => _ctx.Response.StartAsync(_ctx.RequestAborted);

    /// <summary>
    /// Call before every event. Returns false when the stream must stop here: a knob cut it (the cut is carried
    /// out) or the client is gone. Waits chunk_delay_ms between events.
    /// </summary>
    public async ValueTask<bool> BeforeEventAsync()
    {
        if (Volatile.Read(ref _fate) != Running)
        {
            return false;
        }
        if (_knobs.TruncateAfter == _eventsWritten)
        {
            // Clean end of the HTTP response, just no finish chunk and no [DONE]: a stream cut by a proxy.
            Finish();
            return false;
        }
        if (_knobs.ResetAfter == _eventsWritten)
        {
            if (Interlocked.CompareExchange(ref _fate, ResetByServer, Running) == Running)
            {
                // Flushes reach the socket inline (see MockUpstreamServer.Build); the short pause also lets the
                // kernel put them on the wire before the reset, so the client reliably receives exactly N events.
                await Task.Delay(ResetGraceMs, CancellationToken.None);
                _ctx.Abort();
            }
            return false;
        }
        if (_knobs.GarbageAfter == _eventsWritten)
        {
            _pipe.Write(_knobs.Garbage == "shaped" ? _framing.ShapedGarbageFrame : _framing.GarbageFrame);
            await FlushAsync();
            Finish();
            return false;
        }
        if (_knobs.ErrorAfter == _eventsWritten)
        {
            var message = _knobs.InjectedMessage(_framing.DefaultErrorMessage, _ctx.Request);
            _pipe.Write(System.Text.Encoding.UTF8.GetBytes(_framing.ErrorFrame(message)));
            await FlushAsync();
            Finish();
            return false;
        }
        if (_eventsWritten > 0 && _knobs.ChunkDelayMs > 0)
        {
            await Task.Delay(_knobs.ChunkDelayMs, _ctx.RequestAborted);
        }
        return Volatile.Read(ref _fate) == Running;
    }

    /// <summary>Starts a <c>data: {json}</c> event; write the JSON with the returned writer, then call <see cref="EndDataAsync"/>.</summary>
    public Utf8JsonWriter BeginData() => BeginFrame("data: "u8);

    /// <summary>Starts a named event (<c>event: {name}</c> then <c>data: {json}</c>), Anthropic style.</summary>
    public Utf8JsonWriter BeginEvent(ReadOnlySpan<byte> name)
    {
        _pipe.Write("event: "u8);
        _pipe.Write(name);
        _pipe.Write("\n"u8);
        return BeginData();
    }

    /// <summary>Starts a frame with arbitrary leading bytes; write the JSON, then <see cref="EndFrameAsync"/>.</summary>
    public Utf8JsonWriter BeginFrame(ReadOnlySpan<byte> head)
    {
        _pipe.Write(head);
        _json.Reset(_pipe);
        return _json;
    }

    public ValueTask<bool> EndDataAsync() => EndFrameAsync(_framing.Terminator);

    /// <summary>Ends the frame with <paramref name="tail"/>, counts it as one event and flushes it to the client.</summary>
    public ValueTask<bool> EndFrameAsync(ReadOnlySpan<byte> tail)
    {
        _json.Flush();
        _pipe.Write(tail);
        _eventsWritten++;
        return FlushAsync();
    }

    /// <summary>Writes an already framed event (fixture replay) byte for byte.</summary>
    public ValueTask<bool> WriteRawEventAsync(ReadOnlyMemory<byte> frame)
    {
        _pipe.Write(frame.Span);
        _eventsWritten++;
        return FlushAsync();
    }

    public async ValueTask<bool> WriteDoneAsync()
    {
        if (!await BeforeEventAsync())
        {
            return false;
        }
        return await WriteRawEventAsync(DoneFrame);
    }

    /// <summary>The server wrote everything it meant to (full stream, or a deliberate truncate/garbage end).</summary>
    public void Finish()
    {
        if (Interlocked.CompareExchange(ref _fate, Completed, Running) == Running)
        {
            _state.OnStreamCompleted();
        }
    }

    /// <summary>The client went away first (RequestAborted fired, or a write/delay failed because of it).</summary>
    public void OnClientGone()
    {
        if (Interlocked.CompareExchange(ref _fate, AbortedByClient, Running) == Running)
        {
            _state.OnStreamAbortedByClient();
        }
    }

    private async ValueTask<bool> FlushAsync()
    {
        var result = await _pipe.FlushAsync(_ctx.RequestAborted);
        if (result.IsCanceled || result.IsCompleted)
        {
            OnClientGone();
            return false;
        }
        return true;
    }

    public void Dispose()
    {
        _abortRegistration.Dispose();
        _json.Dispose();
    }
}

/// <summary>Runs a stream body; a cancelled delay or a failed write mid-stream means the client went away: count it, do not throw.</summary>
internal static class StreamGuard
{
    public static async Task RunAsync(SseStream sse, Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (OperationCanceledException) when (sse.Aborted.IsCancellationRequested)
        {
            sse.OnClientGone();
        }
        catch (IOException)
        {
            sse.OnClientGone();
        }
    }
}
