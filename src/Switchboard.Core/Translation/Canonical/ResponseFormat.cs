using System.Text.Json;

namespace Switchboard.Translation.Canonical;

/// <summary>The shape the output must take.</summary>
public enum ResponseFormatKind
{
    Text,
    /// <summary>Any JSON object (OpenAI JSON mode, Gemini <c>responseMimeType: application/json</c>).</summary>
    JsonObject,
    /// <summary>JSON matching <see cref="ResponseFormat.JsonSchema"/> (Structured Outputs, Gemini <c>responseSchema</c>).</summary>
    JsonSchema,
}

/// <summary>Requested output format; <see cref="JsonSchema"/> is set exactly when <see cref="Kind"/> is <see cref="ResponseFormatKind.JsonSchema"/>.</summary>
public sealed record ResponseFormat(ResponseFormatKind Kind, JsonSchemaFormat? JsonSchema = null)
{
    public static ResponseFormat Text { get; } = new(ResponseFormatKind.Text);

    public static ResponseFormat JsonObject { get; } = new(ResponseFormatKind.JsonObject);
}

/// <summary>A named JSON Schema for structured output. <see cref="Schema"/> is the schema object, raw.</summary>
public sealed record JsonSchemaFormat(string Name)
{
    public string? Description { get; init; }

    public JsonElement? Schema { get; init; }

    public bool? Strict { get; init; }
}
