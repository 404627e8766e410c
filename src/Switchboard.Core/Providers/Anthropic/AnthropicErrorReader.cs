using Switchboard.Translation;
using System.Text.Json;

namespace Switchboard.Providers.Anthropic;

/// <summary>Reads Anthropic error bodies: <c>{"type":"error","error":{"type":...,"message":...},"request_id":...}</c>.</summary>
public static class AnthropicErrorReader
{
    /// <summary>What the body says, or null when it is not an Anthropic error body.</summary>
    public static UpstreamErrorInfo? Read(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (!root.TryGetProperty("error"u8, out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return new UpstreamErrorInfo(
                StringMember(error, "type"u8),
                Code: null,
                StringMember(error, "message"u8),
                Param: null,
                RetryAfter: null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
