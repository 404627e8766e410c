using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Switchboard.Errors;

/// <summary>Writes a <see cref="GatewayError"/> as an HTTP response in the OpenAI dialect.</summary>
public static class ErrorResponses
{
    public static Task WriteOpenAIAsync(HttpResponse response, GatewayError error)
    {
        if (response.HasStarted) return Task.CompletedTask;
        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            // Whole seconds, rounded up: a client that waits exactly this long must not be refused again.
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            // OpenAI's SDKs prefer the precise form when present.
            response.Headers["retry-after-ms"] = Math.Max(0, (long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }
        var bytes = OpenAIErrorWriter.ToUtf8(error);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes).AsTask();
    }
}
