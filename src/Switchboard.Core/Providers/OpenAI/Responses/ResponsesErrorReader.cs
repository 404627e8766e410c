using System.Text.Json;
using Switchboard.Translation;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary>
/// Reads what a Responses upstream says went wrong: an HTTP error body
/// (<c>{"error":{"message","type","param","code"}}</c>, the same shape as Chat Completions) or the data of a stream
/// <c>error</c> event, whose fields the API puts on the event itself (<c>{"type":"error","code","message","param"}</c>)
/// and some servers nest in an <c>error</c> object.
/// </summary>
public static class ResponsesErrorReader
{
    /// <summary>What an error body says, or null when it is not one.</summary>
    public static UpstreamErrorInfo? Read(ReadOnlySpan<byte> body) => OpenAIErrorBody.Read(body);

    /// <summary>What a stream <c>error</c> event's data says, or null when it is not one.</summary>
    public static UpstreamErrorInfo? ReadStreamError(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            if (root.TryGetProperty("error"u8, out var nested) && nested.ValueKind == JsonValueKind.Object)
            {
                return Info(nested, Text(nested, "type"u8));
            }
            // Flat: the event's own "type" is "error", not a kind of error.
            var type = Text(root, "type"u8);
            return type == ResponsesEventTypes.Error || Text(root, "message"u8) is not null ? Info(root, type == ResponsesEventTypes.Error ? null : type) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static UpstreamErrorInfo Info(JsonElement error, string? type) =>
        new(type, Text(error, "code"u8), Text(error, "message"u8), Text(error, "param"u8), RetryAfter: null);

    private static string? Text(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;
}
