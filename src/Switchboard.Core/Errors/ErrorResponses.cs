using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Errors;

/// <summary>Writes a <see cref="GatewayError"/> as an HTTP response in the OpenAI dialect.</summary>
public static class ErrorResponses
{
    public static Task WriteOpenAIAsync(HttpResponse response, GatewayError error) =>
        response.HasStarted ? Task.CompletedTask : WriteAsync(response, error, OpenAIErrorWriter.ToUtf8(error));

    /// <summary>
    /// Writes an error response whose body a dialect has already rendered: status, JSON content type, and the wait
    /// the upstream asked for as <c>Retry-After</c> and <c>retry-after-ms</c>.
    /// </summary>
    public static Task WriteAsync(HttpResponse response, GatewayError error, byte[] body)
    {
        if (response.HasStarted) return Task.CompletedTask;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            // Whole seconds, rounded up: a client that waits exactly this long must not be refused again.
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            // The OpenAI and Anthropic SDKs prefer the precise form when present.
            response.Headers["retry-after-ms"] = Math.Max(0, (long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
        response.ContentLength = body.Length;
        return response.Body.WriteAsync(body).AsTask();
    }
}
