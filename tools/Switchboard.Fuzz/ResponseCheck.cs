using System.Text.Json;

namespace Switchboard.Fuzz;

/// <summary>What the fuzzer demands of every answer; null when the answer is acceptable, else what is wrong.</summary>
public static class ResponseCheck
{
    /// <summary>
    /// Kestrel's own answer to a request line or headers it could not parse: bodiless, no request id. The gateway
    /// cannot shape these (see RequestIdMiddleware); accepted only for cases that broke the protocol on purpose.
    /// </summary>
    public static bool IsKestrelRejection(RawResponse response) =>
        response.Status is 400 or 413 or 414 or 431 && response.Body.Length == 0 && response.Header("x-request-id") is null;

    public static string? Problem(FuzzCase fuzzCase, RawResponse? response, bool allowUpstream5xx)
    {
        if (response is null)
        {
            // A client that ended its side before sending the whole body has left: Kestrel ends such a request.
            return fuzzCase.HalfClose ? null : "no HTTP response (connection closed or timed out without a status line)";
        }
        if (fuzzCase.ProtocolLevel && IsKestrelRejection(response)) return null;
        if (response.Status >= 500)
        {
            var relayed = response.Header("x-switchboard-provider") is not null && !ErrorText(response).Contains("internal_error", StringComparison.Ordinal);
            if (!relayed) return $"the gateway's own {response.Status}: {Truncate(ErrorText(response))}";
            if (!allowUpstream5xx) return $"an upstream {response.Status} relayed (the strict mock should not fail): {Truncate(ErrorText(response))}";
        }
        if (response.Header("x-request-id") is not { Length: > 0 }) return $"{response.Status} without x-request-id";
        if (response.Status >= 400 && !fuzzCase.IsHead)
        {
            var shape = ShapeProblem(fuzzCase.Dialect, response.Body);
            if (shape is not null) return $"{response.Status} not in the {fuzzCase.Dialect} error shape: {shape}; body: {Truncate(ErrorText(response))}";
        }
        return null;
    }

    /// <summary>OpenAI: <c>{"error":{"message","type",...}}</c>; Anthropic: <c>{"type":"error","error":{"type","message"}}</c>; Gemini: <c>{"error":{"code","message","status"}}</c>.</summary>
    public static string? ShapeProblem(ErrorDialect dialect, byte[] body)
    {
        if (body.Length == 0) return "empty body";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return "body is not JSON";
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return "no \"error\" object";
            }
            if (dialect == ErrorDialect.Gemini)
            {
                return IsString(error, "message") && IsString(error, "status") && error.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number
                    ? null
                    : "not Google's shape (error.code, error.message, error.status)";
            }
            if (!IsString(error, "message") || !IsString(error, "type")) return "error.message or error.type missing";
            var isAnthropic = root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "error";
            if (dialect == ErrorDialect.Anthropic && !isAnthropic) return "OpenAI shape on an Anthropic path (no top-level \"type\":\"error\")";
            if (dialect == ErrorDialect.OpenAI && isAnthropic) return "Anthropic shape on an OpenAI path";
            return null;
        }
    }

    private static bool IsString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String;

    private static string ErrorText(RawResponse response) => System.Text.Encoding.UTF8.GetString(response.Body);

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}
