using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Switchboard.Errors;
using Switchboard.Http;
using Switchboard.Providers;
using Switchboard.Telemetry;

namespace Switchboard.Pipeline;

/// <summary>Sending one request upstream and reading bounded bodies: shared by every kind of attempt.</summary>
public static class UpstreamExchange
{
    public static readonly MediaTypeHeaderValue JsonContentType = new("application/json");

    /// <summary>The <c>Accept</c> of an operation whose answer may be of any type (audio, text, images, events).</summary>
    public static readonly MediaTypeWithQualityHeaderValue AcceptAny = new("*/*");
    private static readonly MediaTypeWithQualityHeaderValue AcceptJson = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue AcceptEventStream = new("text/event-stream");

    /// <summary>A POST of <paramref name="body"/> with the provider's credentials and extra headers.</summary>
    public static HttpRequestMessage CreateRequest(Uri uri, PooledBuffer body, bool stream, UpstreamProvider provider, Action<HttpRequestHeaders> authorize)
    {
        var content = new ReadOnlyMemoryContent(body.Memory);
        content.Headers.ContentType = JsonContentType;
        return CreateRequest(uri, content, stream ? AcceptEventStream : AcceptJson, provider, authorize);
    }

    /// <summary>A POST of <paramref name="content"/> (any body: JSON, multipart) accepting <paramref name="accept"/>.</summary>
    public static HttpRequestMessage CreateRequest(Uri uri, HttpContent content, MediaTypeWithQualityHeaderValue accept, UpstreamProvider provider,
        Action<HttpRequestHeaders> authorize)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Accept.Add(accept);
        authorize(request.Headers);
        foreach (var (name, value) in provider.Config.Headers) request.Headers.TryAddWithoutValidation(name, value);
        GatewaySpans.InjectContext(request.Headers);
        return request;
    }

    /// <summary>
    /// Sends and returns at the response headers (the body is never buffered), or the outcome that ends the attempt:
    /// client gone, timeout, or transport failure.
    /// </summary>
    public static async Task<(HttpResponseMessage? Response, AttemptOutcome Failure)> SendAsync(
        HttpContext context, UpstreamProvider provider, HttpRequestMessage request, AttemptClock clock)
    {
        try
        {
            return (await provider.Http.SendAsync(request, clock.Token), default);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return (null, new AttemptOutcome(AttemptResult.ClientGone, null, default, false, null));
        }
        catch (OperationCanceledException)
        {
            return (null, AttemptOutcome.Failed(clock.TimeoutError(provider, started: false)));
        }
        catch (HttpRequestException ex)
        {
            return (null, AttemptOutcome.Failed(UpstreamErrors.FromException(ex, provider, timedOut: false)));
        }
    }

    /// <summary>Reads a whole (non-streamed) upstream body into a pooled buffer, refusing more than <paramref name="limit"/> bytes.</summary>
    public static async Task<PooledBuffer> ReadBoundedAsync(HttpResponseMessage response, int limit, CancellationToken cancel)
    {
        var length = response.Content.Headers.ContentLength;
        var buffer = new PooledBuffer(length is > 0 and < 1024 * 1024 ? (int)length.Value : 16 * 1024);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            while (true)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024), cancel);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.Length > limit) throw new IOException($"The upstream answer exceeded {limit} bytes.");
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Null when a successful non-stream answer may be relayed: a well-formed JSON object that is not an error.
    /// Otherwise the upstream failure it is (CONTRACT §6: an invalid answer is never relayed as a success).
    /// </summary>
    public static GatewayError? CheckAnswer(ReadOnlySpan<byte> json, UpstreamProvider provider) => WireJson.Check(json) switch
    {
        WireJsonKind.Valid => null,
        WireJsonKind.Error => UpstreamErrors.ErrorInSuccessBody(json, provider),
        _ => UpstreamErrors.InvalidResponse(provider, json),
    };

    /// <summary>
    /// Reads an upstream error body, keeping at most <paramref name="limit"/> bytes: an error that echoes a giant
    /// request value ("Invalid value: 'aaaa…'") is still the upstream's error (usually the client's 4xx), not a broken
    /// connection, so the excess is dropped rather than failing the attempt as <c>upstream_unreachable</c>.
    /// </summary>
    public static async Task<PooledBuffer> ReadErrorBodyAsync(HttpResponseMessage response, int limit, CancellationToken cancel)
    {
        var buffer = new PooledBuffer(16 * 1024);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancel);
            while (buffer.Length < limit)
            {
                var read = await stream.ReadAsync(buffer.GetMemory(16 * 1024)[..Math.Min(16 * 1024, limit - buffer.Length)], cancel);
                if (read == 0) break;
                buffer.Advance(read);
            }
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    /// <summary>Maps what can go wrong while reading an upstream answer to the attempt's outcome.</summary>
    public static AttemptOutcome? Classify(Exception exception, HttpContext context, UpstreamProvider provider, AttemptClock clock) => exception switch
    {
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => new AttemptOutcome(AttemptResult.ClientGone, null, default, false, null),
        OperationCanceledException => AttemptOutcome.Failed(clock.TimeoutError(provider, started: false)),
        HttpRequestException or IOException => AttemptOutcome.Failed(UpstreamErrors.FromException(exception, provider, timedOut: false)),
        _ => null,
    };
}
