using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Switchboard.Bench.Client;

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

    /// <summary>The chat request every benchmark sends: small and ordinary, as most chat traffic is.</summary>
    public static byte[] ChatBody(string model, bool stream, string extra = "") => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a helpful assistant.\"},"
        + "{\"role\":\"user\",\"content\":\"Write one sentence about a switchboard operator.\"}],"
        + "\"temperature\":0.7,\"max_tokens\":64" + (stream ? ",\"stream\":true" : "") + extra + "}");

    public static HttpRequestMessage Post(Uri url, byte[] body, AuthenticationHeaderValue? auth)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body), Version = HttpVersion.Version11 };
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = auth;
        return request;
    }

    public static AuthenticationHeaderValue? Bearer(string? key) => string.IsNullOrEmpty(key) ? null : new("Bearer", key);

    /// <summary>Microseconds between two <see cref="Stopwatch.GetTimestamp"/> values.</summary>
    public static double Micros(long from, long to) => (to - from) * 1_000_000.0 / Stopwatch.Frequency;
}
