using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream.Gemini;

/// <summary>
/// Google's error answers: <c>{"error":{"code","message","status","details":[…]}}</c> (google.rpc.Status), with the
/// Generative Language API's wording, plus its key check (header <c>x-goog-api-key</c> or <c>?key=</c>).
/// </summary>
internal static class GeminiErrors
{
    public const string JsonContentType = "application/json; charset=UTF-8";
    public const string InvalidArgumentStatus = "INVALID_ARGUMENT";

    private const string KeyInvalidMessage = "API key not valid. Please pass a valid API key.";

    public static ApiError Error(int code, string status, string message, string? detailsJson = null) =>
        new(code, message, status) { Dialect = Dialect.Gemini, DetailsJson = detailsJson };

    public static ApiError InvalidArgument(string message, string? detailsJson = null) => Error(400, InvalidArgumentStatus, message, detailsJson);

    /// <summary>A request-validation failure: <c>* GenerateContentRequest.{path}: {message}</c> and a newline, like the API.</summary>
    public static ApiError Field(string path, string message) => InvalidArgument($"* GenerateContentRequest.{path}: {message}\n");

    public static ApiError ModelNotFound(string model, bool stream) => Error(404, "NOT_FOUND",
        $"models/{model} is not found for API version v1beta, or is not supported for {(stream ? "streamGenerateContent" : "generateContent")}. " +
        "Call ListModels to see the list of available models and their supported methods.");

    /// <summary>A missing key is 403 PERMISSION_DENIED; a wrong one 400 INVALID_ARGUMENT with ErrorInfo API_KEY_INVALID.</summary>
    public static ApiError? CheckAuth(HttpRequest request, string apiKey)
    {
        string key = request.Headers["x-goog-api-key"].ToString();
        if (key.Length == 0)
        {
            key = request.Query["key"].ToString();
        }
        if (key.Length == 0)
        {
            return Error(403, "PERMISSION_DENIED",
                "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
        }
        if (string.Equals(key, apiKey, StringComparison.Ordinal))
        {
            return null;
        }
        return InvalidArgument(KeyInvalidMessage, Details(w =>
        {
            w.WriteStartObject();
            w.WriteString("@type"u8, "type.googleapis.com/google.rpc.ErrorInfo");
            w.WriteString("reason"u8, "API_KEY_INVALID");
            w.WriteString("domain"u8, "googleapis.com");
            w.WriteStartObject("metadata"u8);
            w.WriteString("service"u8, "generativelanguage.googleapis.com");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject();
            w.WriteString("@type"u8, "type.googleapis.com/google.rpc.LocalizedMessage");
            w.WriteString("locale"u8, "en-US");
            w.WriteString("message"u8, KeyInvalidMessage);
            w.WriteEndObject();
        }));
    }

    /// <summary>The body an injected <c>status=N</c> knob answers with; 429 carries QuotaFailure and, with retry_after, RetryInfo.</summary>
    public static ApiError ForStatus(int status, string? model, double? retryAfterSeconds) => status switch
    {
        400 => InvalidArgument("Request contains an invalid argument."),
        401 => Error(401, "UNAUTHENTICATED",
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. " +
            "See https://developers.google.com/identity/sign-in/web/devconsole-project."),
        403 => Error(403, "PERMISSION_DENIED", "The caller does not have permission"),
        404 => ModelNotFound(model ?? "unknown-model", false),
        429 => Error(429, "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: " +
            "https://ai.google.dev/gemini-api/docs/rate-limits.",
            QuotaDetails(model ?? "gemini-2.5-flash", retryAfterSeconds)),
        500 => Error(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
        503 => Error(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
        504 => Error(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
        _ => Error(status, status >= 500 ? "INTERNAL" : InvalidArgumentStatus, $"Injected status {status} (mock upstream)."),
    };

    private static string QuotaDetails(string model, double? retryAfterSeconds) => Details(w =>
    {
        w.WriteStartObject();
        w.WriteString("@type"u8, "type.googleapis.com/google.rpc.QuotaFailure");
        w.WriteStartArray("violations"u8);
        w.WriteStartObject();
        w.WriteString("quotaMetric"u8, "generativelanguage.googleapis.com/generate_content_free_tier_requests");
        w.WriteString("quotaId"u8, "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        w.WriteStartObject("quotaDimensions"u8);
        w.WriteString("location"u8, "global");
        w.WriteString("model"u8, model);
        w.WriteEndObject();
        w.WriteString("quotaValue"u8, "10");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("@type"u8, "type.googleapis.com/google.rpc.Help");
        w.WriteStartArray("links"u8);
        w.WriteStartObject();
        w.WriteString("description"u8, "Learn more about Gemini API quotas");
        w.WriteString("url"u8, "https://ai.google.dev/gemini-api/docs/rate-limits");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        if (retryAfterSeconds is double s)
        {
            w.WriteStartObject();
            w.WriteString("@type"u8, "type.googleapis.com/google.rpc.RetryInfo");
            w.WriteString("retryDelay"u8, s.ToString("0.###", CultureInfo.InvariantCulture) + "s");
            w.WriteEndObject();
        }
    });

    /// <summary>A google.rpc.BadRequest detail listing field violations (field omitted when the violation has none).</summary>
    public static string BadRequest(IEnumerable<(string? Field, string Description)> violations) => Details(w =>
    {
        w.WriteStartObject();
        w.WriteString("@type"u8, "type.googleapis.com/google.rpc.BadRequest");
        w.WriteStartArray("fieldViolations"u8);
        foreach (var (field, description) in violations)
        {
            w.WriteStartObject();
            if (field is not null)
            {
                w.WriteString("field"u8, field);
            }
            w.WriteString("description"u8, description);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>Renders detail objects (written by <paramref name="items"/>) as a JSON array.</summary>
    public static string Details(Action<Utf8JsonWriter> items)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, JsonShape.WriterOptions))
        {
            w.WriteStartArray();
            items(w);
            w.WriteEndArray();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void AddHeaders(HttpContext ctx)
    {
        var h = ctx.Response.Headers;
        h.Vary = "Origin, X-Origin, Referer";
        h["x-content-type-options"] = "nosniff";
        h["server-timing"] = "gfet4t7; dur=1";
    }

    public static void Write(Utf8JsonWriter w, ApiError error)
    {
        w.WriteStartObject();
        w.WriteStartObject("error"u8);
        w.WriteNumber("code"u8, error.Status);
        w.WriteString("message"u8, error.Message);
        w.WriteString("status"u8, error.Type);
        if (error.DetailsJson is { } details)
        {
            w.WritePropertyName("details"u8);
            w.WriteRawValue(details);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
