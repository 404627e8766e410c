using System.Globalization;
using System.Net;
using System.Text;
using Switchboard.Errors;
using Switchboard.Providers.OpenAI;
using Switchboard.Translation;

namespace Switchboard.Providers;

/// <summary>
/// Turns an upstream failure into a <see cref="GatewayError"/>, classified once: client faults keep the upstream's
/// status, type, code, param and message (scrubbed of secrets); 429/5xx become retryable <c>upstream_error</c>s that
/// keep the status and message; context-window and content-policy refusals may only fall back to other models.
/// The error body is read by the provider's own wire protocol, so this works for every provider type.
/// </summary>
public static class UpstreamErrors
{
    public static GatewayError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, UpstreamProvider provider)
    {
        var status = (int)response.StatusCode;
        var info = provider.Protocol?.ReadError(body) ?? OpenAIErrorBody.Read(body);
        // The upstream's own words when its body is an error object; otherwise (a proxy's HTML page, an empty body,
        // plain text) what the body is, its start quoted, so neither the client nor the log gets a bare status.
        var ownWords = info?.Message is { Length: > 0 };
        var message = ownWords ? SecretScrubber.Scrub(info!.Message!, provider.Config.ApiKey) : DescribeBody(body, response.Content.Headers.ContentType?.MediaType, provider);
        var answered = ownWords
            ? $"Provider '{provider.Name}' answered HTTP {status}: {message}"
            : $"Provider '{provider.Name}' answered HTTP {status}{Reason(response)} with {message}.";
        var retryAfter = RetryAfter(response) ?? info?.RetryAfter;
        // Every field relayed to the client is scrubbed, not only the message: an upstream may echo a key anywhere.
        var (type, code, param) = (ScrubOrNull(info?.Type, provider), ScrubOrNull(info?.Code, provider), ScrubOrNull(info?.Param, provider));
        var upstream = $"HTTP {status} {(type, code) switch
        {
            ({ } t, { } c) when t != c => t + "/" + c,
            _ => type ?? code ?? (info is null ? "with no error object" : "with no error type"),
        }}";

        if (status is 401 or 403)
        {
            // The upstream refused the gateway's own credentials: not the client's fault, and never its key to see.
            return new GatewayError(502, "upstream_error", "upstream_authentication_failed",
                $"Provider '{provider.Name}' rejected the gateway's credentials (HTTP {status}){(ownWords ? ": " + message : ", with " + message + ".")}",
                ErrorDisposition.Retryable) { Provider = provider.Name, UpstreamAnswer = upstream };
        }
        if (status == 429 || status >= 500 || status == 408)
        {
            return new GatewayError(status, "upstream_error", code ?? type ?? $"upstream_http_{status}", answered, ErrorDisposition.Retryable, param)
            { RetryAfter = retryAfter, Provider = provider.Name, UpstreamAnswer = upstream };
        }

        var disposition = IsContextWindow(code, type, message) ? ErrorDisposition.ContextWindowExceeded
            : IsContentPolicy(code, type) ? ErrorDisposition.ContentPolicy
            : ErrorDisposition.ClientFault;
        return new GatewayError(status, ClientFacingType(type), code, ownWords ? message : answered, disposition, param)
        { RetryAfter = retryAfter, Provider = provider.Name, UpstreamAnswer = upstream };
    }

    private static string Reason(HttpResponseMessage response) => response.ReasonPhrase is { Length: > 0 } reason ? $" ({reason})" : "";

    /// <summary>
    /// An answer that is not valid in the upstream's own wire format (broken JSON, not an object): an upstream failure,
    /// retryable, never relayed as a success.
    /// </summary>
    public static GatewayError InvalidResponse(UpstreamProvider provider, ReadOnlySpan<byte> body) =>
        new(502, "upstream_error", "upstream_invalid_response",
            $"Provider '{provider.Name}' answered with {(body.IsEmpty ? "an empty body" : "a body")} that is not valid in its wire format.", ErrorDisposition.Retryable)
        { Provider = provider.Name, UpstreamAnswer = "HTTP 200 with " + DescribeBody(body, null, provider) };

    /// <summary>A success status whose body is an error object (some OpenAI-compatible servers do this): a failure, scrubbed.</summary>
    public static GatewayError ErrorInSuccessBody(ReadOnlySpan<byte> body, UpstreamProvider provider)
    {
        var info = provider.Protocol?.ReadError(body) ?? OpenAIErrorBody.Read(body);
        var message = SecretScrubber.Scrub(info?.Message ?? "no message", provider.Config.ApiKey);
        return new GatewayError(502, "upstream_error", "upstream_invalid_response",
            $"Provider '{provider.Name}' answered HTTP 200 with an error ({info?.Code ?? info?.Type ?? "no type"}): {message}",
            ErrorDisposition.Retryable) { Provider = provider.Name };
    }

    private static string? ScrubOrNull(string? text, UpstreamProvider provider) =>
        text is null ? null : SecretScrubber.Scrub(text, provider.Config.ApiKey);

    /// <summary>OpenAI's own types are kept; other providers' words (Gemini's INVALID_ARGUMENT, …) read as invalid requests.</summary>
    private static string ClientFacingType(string? type) => type switch
    {
        null => "invalid_request_error",
        _ when type.Contains('_', StringComparison.Ordinal) && !type.Any(char.IsAsciiLetterUpper) => type,
        _ => "invalid_request_error",
    };

    private static bool IsContextWindow(string? code, string? type, string message) =>
        code is "context_length_exceeded" || type is "context_length_exceeded"
        || message.Contains("maximum context length", StringComparison.OrdinalIgnoreCase)
        || message.Contains("context window", StringComparison.OrdinalIgnoreCase)
        || message.Contains("prompt is too long", StringComparison.OrdinalIgnoreCase)
        || message.Contains("input token count", StringComparison.OrdinalIgnoreCase) && message.Contains("exceeds", StringComparison.OrdinalIgnoreCase);

    private static bool IsContentPolicy(string? code, string? type) =>
        code is "content_filter" or "content_policy_violation" || type is "content_filter" or "content_policy_violation";

    /// <summary>Wait time from <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or HTTP date).</summary>
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

    /// <summary>How many characters of a body that is no error object are quoted.</summary>
    private const int QuotedChars = 200;

    /// <summary>
    /// What a body that is no error object is (an empty body, an HTML page, other text), its start quoted on one line:
    /// scrubbed before it is cut, so a cut can never leave the start of a key the scrub would no longer recognise.
    /// </summary>
    public static string DescribeBody(ReadOnlySpan<byte> body, string? mediaType, UpstreamProvider provider)
    {
        if (body.IsEmpty) return "an empty body";
        const int window = 4096;
        var text = Encoding.UTF8.GetString(body[..Math.Min(body.Length, window)]);
        // A body longer than the window: drop its last, possibly cut, word (it could be half a key).
        if (body.Length > window && text.LastIndexOfAny([' ', '\n', '\t', '\r']) is > 0 and var lastSpace) text = text[..lastSpace];
        var folded = SecretScrubber.Scrub(string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)), provider.Config.ApiKey);
        if (folded.Length == 0) return "a blank body";
        var quoted = folded.Length > QuotedChars ? string.Concat(folded.AsSpan(0, QuotedChars), "…") : folded;
        var html = mediaType is "text/html" || folded.StartsWith('<');
        return (html ? "an HTML page: " : "a body that is no error object: ") + quoted;
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
            $"Provider '{provider.Name}' {detail}.", ErrorDisposition.Retryable) { Provider = provider.Name, UpstreamAnswer = TransportFailure(exception, provider) };
    }

    /// <summary>
    /// A transport failure as the log needs it: each distinct message of the exception chain
    /// (<c>Connection refused (127.0.0.1:9)</c>), scrubbed: the messages may quote the address, never a key.
    /// </summary>
    public static string TransportFailure(Exception exception, UpstreamProvider provider)
    {
        var messages = new List<string>(3);
        for (var e = exception; e is not null && messages.Count < 4; e = e.InnerException)
        {
            if (e.Message.Length > 0 && !messages.Exists(m => m.Contains(e.Message, StringComparison.Ordinal))) messages.Add(e.Message);
        }
        return SecretScrubber.Scrub($"{exception.GetType().Name}: {string.Join(" / ", messages)}", provider.Config.ApiKey);
    }
}
