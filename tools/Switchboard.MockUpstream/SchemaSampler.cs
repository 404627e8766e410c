using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchboard.MockUpstream;

/// <summary>
/// Builds a deterministic JSON value that satisfies a (simple) JSON Schema: each required property gets
/// "sample" / the first enum value, 1, true, [] or a recursively built object. Used for tool-call arguments
/// and json_schema answers, so tests can assert the exact text.
/// </summary>
internal static class SchemaSampler
{
    private const int MaxDepth = 16;

    public static string Sample(JsonElement? schema)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer, JsonShape.WriterOptions))
        {
            if (schema is { } s)
            {
                Write(w, s, s, 0);
            }
            else
            {
                w.WriteStartObject();
                w.WriteEndObject();
            }
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, JsonElement schema, JsonElement root, int depth)
    {
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            w.WriteNullValue();
            return;
        }
        if (JsonShape.GetString(schema, "$ref") is { } reference)
        {
            if (Resolve(root, reference) is { } target)
            {
                Write(w, target, root, depth + 1);
            }
            else
            {
                w.WriteNullValue();
            }
            return;
        }
        if (JsonShape.TryGet(schema, "const", out var constant))
        {
            constant.WriteTo(w);
            return;
        }
        if (JsonShape.TryGet(schema, "enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }
        foreach (var combinator in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (JsonShape.TryGet(schema, combinator, out var options) && options.ValueKind == JsonValueKind.Array)
            {
                foreach (var option in options.EnumerateArray())
                {
                    if (!string.Equals(JsonShape.GetString(option, "type"), "null", StringComparison.OrdinalIgnoreCase))
                    {
                        Write(w, option, root, depth + 1);
                        return;
                    }
                }
            }
        }

        // Lower-cased: Gemini's Schema spells types in capitals (OBJECT, STRING).
        switch (TypeOf(schema)?.ToLowerInvariant())
        {
            case "string":
                w.WriteStringValue("sample");
                break;
            case "number":
            case "integer":
                w.WriteNumberValue(1);
                break;
            case "boolean":
                w.WriteBooleanValue(true);
                break;
            case "array":
                w.WriteStartArray();
                w.WriteEndArray();
                break;
            case "null":
                w.WriteNullValue();
                break;
            default:
                WriteObject(w, schema, root, depth);
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter w, JsonElement schema, JsonElement root, int depth)
    {
        w.WriteStartObject();
        if (JsonShape.TryGet(schema, "required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            JsonShape.TryGet(schema, "properties", out var properties);
            foreach (var nameEl in required.EnumerateArray())
            {
                if (nameEl.ValueKind != JsonValueKind.String)
                {
                    continue;
                }
                string name = nameEl.GetString()!;
                w.WritePropertyName(name);
                if (JsonShape.TryGet(properties, name, out var propSchema))
                {
                    Write(w, propSchema, root, depth + 1);
                }
                else
                {
                    w.WriteStringValue("sample");
                }
            }
        }
        w.WriteEndObject();
    }

    /// <summary>The schema's type; for a type list the first non-null entry; object when only properties are given.</summary>
    private static string? TypeOf(JsonElement schema)
    {
        if (!JsonShape.TryGet(schema, "type", out var type))
        {
            return JsonShape.TryGet(schema, "properties", out _) || JsonShape.TryGet(schema, "required", out _) ? "object" : "string";
        }
        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString();
        }
        if (type.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in type.EnumerateArray())
            {
                if (t.ValueKind == JsonValueKind.String && !string.Equals(t.GetString(), "null", StringComparison.OrdinalIgnoreCase))
                {
                    return t.GetString();
                }
            }
            return "null";
        }
        return "object";
    }

    /// <summary>Resolves a local JSON pointer reference (<c>#/$defs/X</c>, <c>#/definitions/X</c>) against the schema root.</summary>
    private static JsonElement? Resolve(JsonElement root, string reference)
    {
        if (!reference.StartsWith('#'))
        {
            return null;
        }
        var current = root;
        foreach (var raw in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            string segment = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (!JsonShape.TryGet(current, segment, out current))
            {
                return null;
            }
        }
        return current;
    }
}
