using System.Text.Json;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Gemini's <c>Schema</c> (an OpenAPI 3.0 subset: <c>"type": "OBJECT"</c>, <c>nullable</c>, <c>propertyOrdering</c>)
/// as JSON Schema, which OpenAI and Anthropic take: type names lower-cased, <c>nullable: true</c> as a
/// <c>"null"</c> type, Gemini-only keywords dropped.
/// </summary>
internal static class GeminiSchema
{
    public static JsonElement ToJsonSchema(JsonElement schema) => GeminiToolsReader.Build(writer => Write(writer, schema));

    private static void Write(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(writer, value);
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray()) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                value.WriteTo(writer);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema)
    {
        var nullable = schema.TryGetProperty("nullable", out var flag) && flag.ValueKind == JsonValueKind.True;
        writer.WriteStartObject();
        foreach (var member in schema.EnumerateObject())
        {
            switch (member.Name)
            {
                case "nullable" or "propertyOrdering":
                    break;
                case "type" when member.Value.ValueKind == JsonValueKind.String:
                    var type = member.Value.GetString()!.ToLowerInvariant();
                    if (nullable)
                    {
                        writer.WriteStartArray("type"u8);
                        writer.WriteStringValue(type);
                        writer.WriteStringValue("null"u8);
                        writer.WriteEndArray();
                    }
                    else
                    {
                        writer.WriteString("type"u8, type);
                    }
                    break;
                case "properties" or "$defs" or "definitions" when member.Value.ValueKind == JsonValueKind.Object:
                    // A map of names to schemas: the names are not keywords.
                    writer.WriteStartObject(member.Name);
                    foreach (var property in member.Value.EnumerateObject())
                    {
                        writer.WritePropertyName(property.Name);
                        Write(writer, property.Value);
                    }
                    writer.WriteEndObject();
                    break;
                case "items" or "anyOf" or "oneOf" or "allOf" or "additionalProperties" or "not":
                    writer.WritePropertyName(member.Name);
                    Write(writer, member.Value);
                    break;
                default:
                    member.WriteTo(writer);
                    break;
            }
        }
        writer.WriteEndObject();
    }
}
