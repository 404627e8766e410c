using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Switchboard.MockUpstream;

/// <summary>Writing answers: status, the headers the real API sends on every answer, JSON bodies.</summary>
internal static class HttpHelpers
{
    private const string StartTimestampKey = "mock.start";

    public static void MarkStart(HttpContext ctx) => ctx.Items[StartTimestampKey] = Stopwatch.GetTimestamp();

    /// <summary>
    /// Headers OpenAI sends on every API answer (success or error). Clients and the gateway read them:
    /// x-request-id is logged, the x-ratelimit-* family drives client-side throttling.
    /// </summary>
    public static void AddOpenAIHeaders(HttpContext ctx, bool rateLimited = false)
    {
        var h = ctx.Response.Headers;
        long start = ctx.Items.TryGetValue(StartTimestampKey, out var s) && s is long l ? l : Stopwatch.GetTimestamp();
        h["x-request-id"] = "req_" + RandomNumberGenerator.GetHexString(32, lowercase: true);
        h["openai-processing-ms"] = ((long)Stopwatch.GetElapsedTime(start).TotalMilliseconds).ToString();
        h["openai-version"] = "2020-10-01";
        h["openai-organization"] = "org-mock";
        h["x-ratelimit-limit-requests"] = "10000";
        h["x-ratelimit-limit-tokens"] = "30000000";
        h["x-ratelimit-remaining-requests"] = rateLimited ? "0" : "9999";
        h["x-ratelimit-remaining-tokens"] = rateLimited ? "0" : "29999000";
        h["x-ratelimit-reset-requests"] = "6ms";
        h["x-ratelimit-reset-tokens"] = "2ms";
    }

    public static Task WriteErrorAsync(HttpContext ctx, ApiError error)
    {
        switch (error.Dialect)
        {
            case Dialect.Anthropic:
                Anthropic.AnthropicErrors.AddHeaders(ctx, error.Status == 429);
                break;
            case Dialect.Gemini:
                Gemini.GeminiErrors.AddHeaders(ctx);
                break;
            default:
                AddOpenAIHeaders(ctx, error.Status == 429);
                break;
        }
        if (error.ExtraHeaders is { } extra)
        {
            foreach (var (name, value) in extra)
            {
                ctx.Response.Headers[name] = value;
            }
        }
        return error.Dialect switch
        {
            Dialect.Anthropic => WriteJsonAsync(ctx, error.Status, (error, Anthropic.AnthropicErrors.RequestId(ctx)),
                static (w, e) => Anthropic.AnthropicErrors.Write(w, e.Item1, e.Item2)),
            Dialect.Gemini => WriteJsonAsync(ctx, error.Status, error, Gemini.GeminiErrors.Write, Gemini.GeminiErrors.JsonContentType),
            _ => WriteJsonAsync(ctx, error.Status, error, OpenAIErrors.Write),
        };
    }

    /// <summary>
    /// The <c>invalid_body</c> knob: a 200 (or, with <c>status</c>, that status) that is not a valid answer.
    /// <c>truncated</c>: a completion cut mid-string; <c>html</c>: a proxy's HTML page (as text/html); <c>array</c>:
    /// valid JSON of the wrong shape; <c>empty</c>: no body.
    /// </summary>
    public static async Task WriteInvalidBodyAsync(HttpContext ctx, string kind, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = kind == "html" ? "text/html; charset=utf-8" : "application/json";
        var body = kind switch
        {
            "truncated" => """{"id":"chatcmpl-mock","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hel"""u8.ToArray(),
            "html" when status == 200 => "<html><body><h1>200 OK</h1><p>Maintenance page</p></body></html>"u8.ToArray(),
            "html" => Encoding.UTF8.GetBytes($"<html>\r\n<head><title>{status} {ReasonPhrases.GetReasonPhrase(status)}</title></head>\r\n<body>\r\n"
                + $"<center><h1>{status} {ReasonPhrases.GetReasonPhrase(status)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"),
            "array" => "[]"u8.ToArray(),
            _ => [],
        };
        await ctx.Response.Body.WriteAsync(body, ctx.RequestAborted);
    }

    /// <summary>
    /// Serialises straight into the response pipe: no intermediate buffer, the pipe holds the bytes until the flush.
    /// Headers must be final before the call.
    /// </summary>
    public static async Task WriteJsonAsync<TState>(HttpContext ctx, int status, TState state, Action<Utf8JsonWriter, TState> write,
        string contentType = "application/json")
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = contentType;
        var pipe = ctx.Response.BodyWriter;
        using (var w = new Utf8JsonWriter(pipe, JsonShape.WriterOptions))
        {
            write(w, state);
        }
        await pipe.FlushAsync(ctx.RequestAborted);
    }

    public static string NewId(string prefix, int length) =>
        prefix + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}
