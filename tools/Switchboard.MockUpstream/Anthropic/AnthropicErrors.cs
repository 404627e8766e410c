using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary>
/// Anthropic's error answers: <c>{"type":"error","error":{"type","message"},"request_id"}</c> with the API's error
/// types and wording, a <c>request-id</c> header on every answer, and its key and version checks.
/// </summary>
internal static class AnthropicErrors
{
    public const string InvalidRequest = "invalid_request_error";
    public const string RequestIdItem = "mock.anthropic.request-id";

    /// <summary>
    /// The oldest <c>anthropic-version</c> the API accepts. Later dated versions are accepted too: the official SDKs send
    /// the version they were generated against (Anthropic C# SDK 13.12.0 sends 2026-10-21), and the API serves them;
    /// a version dated in the future does not exist yet.
    /// </summary>
    private static readonly DateOnly OldestVersion = new(2023, 1, 1);

    public static ApiError Error(int status, string type, string message) => new(status, message, type) { Dialect = Dialect.Anthropic };

    public static ApiError Invalid(string message) => Error(400, InvalidRequest, message);

    public static ApiError ModelNotFound(string model) => Error(404, "not_found_error", "model: " + model);

    /// <summary><c>x-api-key</c> must be the configured key, then <c>anthropic-version</c> must name a known version.</summary>
    public static ApiError? CheckAuth(HttpRequest request, string apiKey)
    {
        string key = request.Headers["x-api-key"].ToString();
        if (key.Length == 0)
        {
            return Error(401, "authentication_error", "x-api-key header is required");
        }
        if (!string.Equals(key, apiKey, StringComparison.Ordinal))
        {
            return Error(401, "authentication_error", "invalid x-api-key");
        }
        string version = request.Headers["anthropic-version"].ToString();
        if (version.Length == 0)
        {
            return Invalid("anthropic-version: header is required");
        }
        var valid = version.Length == 10
            && DateOnly.TryParseExact(version, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var date)
            && date >= OldestVersion && date <= DateOnly.FromDateTime(DateTime.UtcNow);
        return valid ? null : Invalid($"anthropic-version: \"{version}\" is not a valid version");
    }

    /// <summary>The body an injected <c>status=N</c> knob answers with: the API's error of that status.</summary>
    public static ApiError ForStatus(int status, string? model) => status switch
    {
        400 => Invalid("Invalid request (injected by the mock upstream)."),
        401 => Error(401, "authentication_error", "invalid x-api-key"),
        403 => Error(403, "permission_error", "Your API key does not have permission to use the specified resource."),
        404 => ModelNotFound(model ?? "unknown-model"),
        413 => Error(413, "request_too_large", "Request exceeds the maximum allowed number of bytes."),
        429 => Error(429, "rate_limit_error",
            "This request would exceed the rate limit for your organization (mock-org) of 50 requests per minute. For details, " +
            "refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please " +
            "reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at " +
            "https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."),
        500 => Error(500, "api_error", "Internal server error"),
        529 => Error(529, "overloaded_error", "Overloaded"),
        _ => Error(status, status >= 500 ? "api_error" : InvalidRequest, $"Injected status {status} (mock upstream)."),
    };

    /// <summary>The headers the API sends on every answer; the request id is reused by the error body.</summary>
    public static void AddHeaders(HttpContext ctx, bool rateLimited = false)
    {
        var h = ctx.Response.Headers;
        string id = RequestId(ctx);
        h["request-id"] = id;
        h["anthropic-organization-id"] = "5a0c3f0e-0000-4000-8000-000000000000";
        string reset = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        h["anthropic-ratelimit-requests-limit"] = "4000";
        h["anthropic-ratelimit-requests-remaining"] = rateLimited ? "0" : "3999";
        h["anthropic-ratelimit-requests-reset"] = reset;
        h["anthropic-ratelimit-input-tokens-limit"] = "2000000";
        h["anthropic-ratelimit-input-tokens-remaining"] = rateLimited ? "0" : "1999000";
        h["anthropic-ratelimit-input-tokens-reset"] = reset;
        h["anthropic-ratelimit-output-tokens-limit"] = "400000";
        h["anthropic-ratelimit-output-tokens-remaining"] = rateLimited ? "0" : "399000";
        h["anthropic-ratelimit-output-tokens-reset"] = reset;
    }

    /// <summary>One id per request (<c>req_011C…</c> like the API), shared by the header and the error body.</summary>
    public static string RequestId(HttpContext ctx)
    {
        if (ctx.Items.TryGetValue(RequestIdItem, out var existing) && existing is string s)
        {
            return s;
        }
        string id = "req_011C" + RandomNumberGenerator.GetString("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz", 20);
        ctx.Items[RequestIdItem] = id;
        return id;
    }

    public static void Write(Utf8JsonWriter w, ApiError error, string requestId)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "error");
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, error.Type);
        w.WriteString("message"u8, error.Message);
        w.WriteEndObject();
        w.WriteString("request_id"u8, requestId);
        w.WriteEndObject();
    }
}
