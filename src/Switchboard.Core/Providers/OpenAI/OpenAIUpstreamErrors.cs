using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Switchboard.Errors;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Turns an OpenAI-wire upstream failure into a <see cref="GatewayError"/>, classified once: client faults keep the
/// upstream's status, type, code, param and message (scrubbed of secrets); 429/5xx become retryable
/// <c>upstream_error</c>s that keep the status and message; context-window and content-policy refusals may only
/// fall back to other models.
/// </summary>
public static class OpenAIUpstreamErrors
{
    public static GatewayError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, UpstreamProvider provider)
    {
        var status = (int)response.StatusCode;
        var (message, type, code, param) = ParseBody(body);
        message = SecretScrubber.Scrub(
            string.IsNullOrWhiteSpace(message) ? $"HTTP {status} {response.ReasonPhrase}" : message,
            provider.Config.ApiKey);
        var retryAfter = RetryAfter(response);

        if (status is 401 or 403)
        {
            // The upstream refused the gateway's own credentials: not the client's fault, and never its key to see.
            return new GatewayError(502, "upstream_error", "upstream_authentication_failed",
                $"Provider '{provider.Name}' rejected the gateway's credentials (HTTP {status}): {message}",
                ErrorDisposition.Retryable) { Provider = provider.Name };
        }
        if (status == 429 || status >= 500 || status == 408)
        {
            return new GatewayError(status, "upstream_error", code ?? type ?? $"upstream_http_{status}",
                $"Provider '{provider.Name}' answered HTTP {status}: {message}", ErrorDisposition.Retryable, param)
            { RetryAfter = retryAfter, Provider = provider.Name };
        }

        var disposition = IsFallbackOnly(code, type, message) ? ErrorDisposition.FallbackOnly : ErrorDisposition.ClientFault;
        return new GatewayError(status, type ?? "invalid_request_error", code, message, disposition, param)
        { RetryAfter = retryAfter, Provider = provider.Name };
    }

    private static bool IsFallbackOnly(string? code, string? type, string message) =>
        code is "context_length_exceeded" or "content_filter" or "content_policy_violation"
        || type is "context_length_exceeded"
        || message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase);

    /// <summary>Seconds from <c>retry-after-ms</c>, <c>Retry-After</c> (seconds or HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms)
            && double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta) return delta;
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }

    /// <summary>
    /// Reads the shapes OpenAI-compatible servers use: <c>{"error":{message,type,code,param}}</c> (OpenAI, Ollama),
    /// <c>{"error":"text"}</c>, and vLLM's <c>{"object":"error","message",...}</c>.
    /// </summary>
    private static (string? Message, string? Type, string? Code, string? Param) ParseBody(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (PlainText(body), null, null, null);
            string? message = null, type = null, code = null, param = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("error"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) message = reader.GetString();
                    else if (reader.TokenType == JsonTokenType.StartObject) ReadFields(ref reader, ref message, ref type, ref code, ref param);
                    else reader.Skip();
                    continue;
                }
                if (reader.ValueTextEquals("message"u8)) { reader.Read(); message ??= Text(ref reader); continue; }
                if (reader.ValueTextEquals("type"u8)) { reader.Read(); type ??= Text(ref reader); continue; }
                reader.Read();
                reader.Skip();
            }
            return (message, type, code, param);
        }
        catch (JsonException)
        {
            return (PlainText(body), null, null, null);
        }
    }

    private static void ReadFields(ref Utf8JsonReader reader, ref string? message, ref string? type, ref string? code, ref string? param)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("message"u8)) { reader.Read(); message = Text(ref reader); }
            else if (reader.ValueTextEquals("type"u8)) { reader.Read(); type = Text(ref reader); }
            else if (reader.ValueTextEquals("code"u8)) { reader.Read(); code = Text(ref reader); }
            else if (reader.ValueTextEquals("param"u8)) { reader.Read(); param = Text(ref reader); }
            else { reader.Read(); reader.Skip(); }
        }
    }

    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.StartObject or JsonTokenType.StartArray => SkipNull(ref reader),
        _ => null,
    };

    private static string? SkipNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    private static string? PlainText(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return null;
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, 500)]).Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary>The error for a transport failure (no HTTP answer).</summary>
    public static GatewayError FromException(Exception exception, UpstreamProvider provider, bool timedOut)
    {
        if (timedOut)
        {
            return new GatewayError(504, "upstream_error", "upstream_timeout",
                $"Provider '{provider.Name}' did not answer in time.", ErrorDisposition.Retryable) { Provider = provider.Name };
        }
        var detail = exception switch
        {
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "could not connect",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host name could not be resolved",
            HttpRequestException { HttpRequestError: HttpRequestError.ResponseEnded } => "connection closed before a response",
            HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS handshake failed",
            HttpRequestException or IOException => "connection failed",
            _ => "request failed",
        };
        return new GatewayError((int)HttpStatusCode.BadGateway, "upstream_error", "upstream_unreachable",
            $"Provider '{provider.Name}' {detail}.", ErrorDisposition.Retryable) { Provider = provider.Name };
    }
}
