using YamlDotNet.RepresentationModel;

namespace Switchboard.Tests.Support;

/// <summary>
/// Checks JSON against a schema of the official OpenAI OpenAPI description (../shared/specs/openai-openapi.yaml),
/// read in place. Hand-written because no JSON Schema validator package is available here; it covers the keywords
/// the response schemas use: $ref, type (incl. "null" and lists), enum, required, properties, items,
/// anyOf/oneOf/allOf, nullable, additionalProperties: false.
/// </summary>
public sealed class OpenApiSchema
{
    private readonly YamlMappingNode _schemas;

    private OpenApiSchema(YamlMappingNode schemas) => _schemas = schemas;

    public static string? SpecPath { get; } = SharedFixtures.Directory is { } fixtures
        ? Path.Combine(Path.GetDirectoryName(fixtures)!, "specs", "openai-openapi.yaml") is var p && File.Exists(p) ? p : null
        : null;

    private static readonly Lazy<OpenApiSchema?> Loaded = new(() =>
    {
        if (SpecPath is null) return null;
        var stream = new YamlStream();
        // YamlDotNet rejects a whitespace-only first line in one `|+` example block of the spec; blank those lines
        // (they sit inside examples, never inside schemas).
        var text = System.Text.RegularExpressions.Regex.Replace(File.ReadAllText(SpecPath), "(?m)^[ \\t]+$", "");
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var components = (YamlMappingNode)root.Children[new YamlScalarNode("components")];
        return new OpenApiSchema((YamlMappingNode)components.Children[new YamlScalarNode("schemas")]);
    });

    public static OpenApiSchema Spec => Loaded.Value ?? throw new InvalidOperationException("spec not found");

    /// <summary>Every violation of schema <paramref name="name"/> found in <paramref name="json"/> (empty = conforms).</summary>
    public List<string> Validate(string name, JsonElement json)
    {
        var errors = new List<string>();
        Check(Resolve(name), json, "$", errors);
        return errors;
    }

    private YamlMappingNode Resolve(string name) => (YamlMappingNode)_schemas.Children[new YamlScalarNode(name)];

    private void Check(YamlMappingNode schema, JsonElement value, string path, List<string> errors)
    {
        // OpenAPI 3.0's `nullable: true` survives in parts of this 3.1 document: null is then always acceptable.
        if (value.ValueKind == JsonValueKind.Null && Get(schema, "nullable") is YamlScalarNode { Value: "true" }) return;
        if (Get(schema, "$ref") is YamlScalarNode reference)
        {
            Check(Resolve(reference.Value!.Split('/')[^1]), value, path, errors);
            return;
        }
        foreach (var combinator in new[] { "anyOf", "oneOf" })
        {
            if (Get(schema, combinator) is YamlSequenceNode options)
            {
                var matched = false;
                foreach (YamlMappingNode option in options.Cast<YamlMappingNode>())
                {
                    var attempt = new List<string>();
                    Check(option, value, path, attempt);
                    if (attempt.Count == 0) { matched = true; break; }
                }
                if (!matched) errors.Add($"{path}: matches none of the {combinator} alternatives: {Short(value)}");
            }
        }
        if (Get(schema, "allOf") is YamlSequenceNode all)
        {
            foreach (YamlMappingNode part in all.Cast<YamlMappingNode>()) Check(part, value, path, errors);
        }
        if (Get(schema, "type") is { } type && !TypeMatches(type, value))
        {
            errors.Add($"{path}: expected {type}, got {value.ValueKind}: {Short(value)}");
            return;
        }
        if (Get(schema, "enum") is YamlSequenceNode enumeration && value.ValueKind == JsonValueKind.String
            && !enumeration.OfType<YamlScalarNode>().Any(e => e.Value == value.GetString()))
        {
            errors.Add($"{path}: '{value.GetString()}' is not one of the allowed values");
        }
        if (value.ValueKind == JsonValueKind.Object)
        {
            var properties = Get(schema, "properties") as YamlMappingNode;
            if (Get(schema, "required") is YamlSequenceNode required)
            {
                foreach (var r in required.OfType<YamlScalarNode>())
                {
                    if (!value.TryGetProperty(r.Value!, out _)) errors.Add($"{path}: required property '{r.Value}' is missing");
                }
            }
            foreach (var property in value.EnumerateObject())
            {
                if (properties is not null && Get(properties, property.Name) is YamlMappingNode sub)
                {
                    Check(sub, property.Value, $"{path}.{property.Name}", errors);
                }
                else if (Get(schema, "additionalProperties") is YamlScalarNode { Value: "false" })
                {
                    errors.Add($"{path}: property '{property.Name}' is not allowed");
                }
            }
        }
        if (value.ValueKind == JsonValueKind.Array && Get(schema, "items") is YamlMappingNode items)
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Check(items, item, $"{path}[{i++}]", errors);
        }
    }

    private static bool TypeMatches(YamlNode type, JsonElement value)
    {
        var names = type is YamlSequenceNode list ? list.OfType<YamlScalarNode>().Select(s => s.Value!) : [((YamlScalarNode)type).Value!];
        return names.Any(name => name switch
        {
            "string" => value.ValueKind == JsonValueKind.String,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "number" => value.ValueKind == JsonValueKind.Number,
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => true,
        });
    }

    private static YamlNode? Get(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string Short(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length > 120 ? text[..120] + "…" : text;
    }
}

/// <summary>A fact skipped, with the reason, when the official OpenAI spec is not at ../shared/specs.</summary>
public sealed class OpenApiSpecFactAttribute : FactAttribute
{
    public OpenApiSpecFactAttribute()
    {
        if (OpenApiSchema.SpecPath is null) Skip = "../shared/specs/openai-openapi.yaml not found: schema conformance test skipped";
    }
}
