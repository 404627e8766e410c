using Switchboard.Translation;
using System.Globalization;
using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a Gemini error body, Google's standard <c>{"error": {"code", "message", "status", "details"}}</c>
/// (also wrapped in a one-element array, as non-SSE streaming calls answer).
/// </summary>
/// <remarks>
/// <see cref="UpstreamErrorInfo.Type"/> is <c>status</c> (<c>RESOURCE_EXHAUSTED</c>,
/// <c>INVALID_ARGUMENT</c>, ...); <see cref="UpstreamErrorInfo.Code"/> the <c>reason</c> of a
/// <c>google.rpc.ErrorInfo</c> detail (<c>API_KEY_INVALID</c>, ...), when there is one;
/// <see cref="UpstreamErrorInfo.Param"/> the first <c>fieldViolations[].field</c> of a
/// <c>google.rpc.BadRequest</c>; <see cref="UpstreamErrorInfo.RetryAfter"/> the <c>retryDelay</c> of a
/// <c>google.rpc.RetryInfo</c> (a protobuf Duration such as <c>"21s"</c> or <c>"0.5s"</c>).
/// </remarks>
public static class GeminiErrorReader
{
    /// <summary>Reads an error body; null when it is not one (HTML from a proxy, empty, ...).</summary>
    public static UpstreamErrorInfo? Read(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!JsonDocument.TryParseValue(ref reader, out var parsed))
            {
                return null;
            }
            document = parsed;
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                if (root.GetArrayLength() == 0)
                {
                    return null;
                }
                root = root[0];
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error"u8, out var error))
            {
                return null;
            }
            return Read(error);
        }
    }

    /// <summary>Reads an <c>error</c> object's members.</summary>
    public static UpstreamErrorInfo? Read(JsonElement error)
    {
        if (error.ValueKind == JsonValueKind.String)
        {
            return new UpstreamErrorInfo(null, null, error.GetString(), null, null);
        }
        if (error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        string? reason = null;
        string? field = null;
        TimeSpan? retryAfter = null;
        if (error.TryGetProperty("details"u8, out var details) && details.ValueKind == JsonValueKind.Array)
        {
            foreach (var detail in details.EnumerateArray())
            {
                var type = String(detail, "@type") ?? "";
                if (type.EndsWith("google.rpc.RetryInfo", StringComparison.Ordinal))
                {
                    retryAfter ??= ParseDuration(String(detail, "retryDelay"));
                }
                else if (type.EndsWith("google.rpc.ErrorInfo", StringComparison.Ordinal))
                {
                    reason ??= String(detail, "reason");
                }
                else if (type.EndsWith("google.rpc.BadRequest", StringComparison.Ordinal)
                    && detail.TryGetProperty("fieldViolations"u8, out var violations) && violations.ValueKind == JsonValueKind.Array)
                {
                    foreach (var violation in violations.EnumerateArray())
                    {
                        field ??= String(violation, "field");
                    }
                }
            }
        }
        return new UpstreamErrorInfo(String(error, "status"), reason, String(error, "message"), field, retryAfter);
    }

    /// <summary>A protobuf JSON Duration (<c>"34.4s"</c>) as a <see cref="TimeSpan"/>; null when malformed.</summary>
    public static TimeSpan? ParseDuration(string? value)
    {
        if (value is null || !value.EndsWith('s'))
        {
            return null;
        }
        return double.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds)
            && seconds is >= 0 and < 1e9
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    /// <summary>"STATUS: message" for an error met where a response was expected.</summary>
    internal static string Describe(JsonElement error)
    {
        var info = Read(error);
        var message = info?.Message ?? "upstream error";
        return info?.Type is { } status ? $"{status}: {message}" : message;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
