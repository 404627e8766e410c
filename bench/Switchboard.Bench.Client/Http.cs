using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.Bench.Client;

/// <summary>The API dialect a request is written in: its body, its key header, and how its stream ends.</summary>
/// <summary>
/// The request shapes the client sends. <see cref="Responses"/> is the Responses API as Codex CLI calls it
/// (<c>store: false</c>, stateless); <see cref="ResponsesStored"/> leaves <c>store</c> out, so the gateway keeps every
/// answer as OpenAI's default does.
/// </summary>
public enum Dialect { OpenAI, Anthropic, Gemini, Responses, ResponsesStored }

/// <summary>The one HTTP client setup every command shares, and the request bodies.</summary>
public static class Http
{
    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>A pooled handler with no proxy, cookies, redirects or decompression: only the request itself costs.</summary>
    public static HttpMessageInvoker CreateInvoker(int maxConnections = int.MaxValue) => new(new SocketsHttpHandler
    {
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    }, disposeHandler: true);

    /// <summary><c>--dialect openai|anthropic|gemini|responses|responses-stored</c> (default openai).</summary>
    public static Dialect ParseDialect(string? text) => text switch
    {
        null or "openai" => Dialect.OpenAI,
        "anthropic" => Dialect.Anthropic,
        "gemini" => Dialect.Gemini,
        "responses" => Dialect.Responses,
        "responses-stored" => Dialect.ResponsesStored,
        _ => throw new ArgumentException($"--dialect must be openai, anthropic, gemini, responses or responses-stored, not '{text}'"),
    };

    /// <summary>The chat request every benchmark sends: small and ordinary, as most chat traffic is.</summary>
    public static byte[] ChatBody(string model, bool stream, string extra = "") => Body(Dialect.OpenAI, model, stream, extra);

    /// <summary>
    /// The same request (system prompt, one user turn, temperature 0.7, at most 64 tokens) in each dialect. Gemini
    /// carries the model and streaming in the URL, not the body. <paramref name="extra"/> is appended to the top-level
    /// object (the bench upstream's <c>bench_*</c> knobs), except for the Responses API, whose readers (the gateway's
    /// among them) refuse unknown members as OpenAI does: the upstream's command-line knobs apply there.
    /// </summary>
    public static byte[] Body(Dialect dialect, string model, bool stream, string extra = "") => Encoding.UTF8.GetBytes(dialect switch
    {
        Dialect.Anthropic => "{\"model\":\"" + model + "\",\"max_tokens\":64,\"system\":\"You are a helpful assistant.\","
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Write one sentence about a switchboard operator.\"}],"
            + "\"temperature\":0.7" + (stream ? ",\"stream\":true" : "") + extra + "}",
        Dialect.Gemini => "{\"systemInstruction\":{\"parts\":[{\"text\":\"You are a helpful assistant.\"}]},"
            + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Write one sentence about a switchboard operator.\"}]}],"
            + "\"generationConfig\":{\"temperature\":0.7,\"maxOutputTokens\":64}" + extra + "}",
        Dialect.Responses or Dialect.ResponsesStored => "{\"model\":\"" + model + "\",\"instructions\":\"You are a helpful assistant.\","
            + "\"input\":\"Write one sentence about a switchboard operator.\",\"temperature\":0.7,\"max_output_tokens\":64"
            + (dialect == Dialect.Responses ? ",\"store\":false" : "") + (stream ? ",\"stream\":true" : "") + "}",
        _ => "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Write one sentence about a switchboard operator.\"}],"
            + "\"temperature\":0.7,\"max_tokens\":64" + (stream ? ",\"stream\":true" : "") + extra + "}",
    });

    public static HttpRequestMessage Post(Uri url, byte[] body, ClientAuth auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
        request.Content.Headers.ContentType = Json;
        auth.Apply(request.Headers);
        return request;
    }

    public static ClientAuth Auth(Dialect dialect, string? key) => new(dialect, string.IsNullOrEmpty(key) ? null : key);

    public static ClientAuth Bearer(string? key) => Auth(Dialect.OpenAI, key);

    /// <summary>Microseconds between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public static double Micros(long from, long to) => (to - from) * 1_000_000.0 / Stopwatch.Frequency;
}

/// <summary>
/// The key in the dialect's own header, as that dialect's SDKs send it: <c>Authorization: Bearer</c> (OpenAI, Responses),
/// <c>x-api-key</c> plus <c>anthropic-version</c> (Anthropic), <c>x-goog-api-key</c> (Gemini).
/// </summary>
public sealed class ClientAuth(Dialect dialect, string? key)
{
    private readonly AuthenticationHeaderValue? _bearer = key is null || dialect is not (Dialect.OpenAI or Dialect.Responses or Dialect.ResponsesStored) ? null : new("Bearer", key);

    public void Apply(HttpRequestHeaders headers)
    {
        switch (dialect)
        {
            case Dialect.Anthropic:
                if (key is not null) headers.TryAddWithoutValidation("x-api-key", key);
                headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                break;
            case Dialect.Gemini:
                if (key is not null) headers.TryAddWithoutValidation("x-goog-api-key", key);
                break;
            default:
                headers.Authorization = _bearer;
                break;
        }
    }
}
