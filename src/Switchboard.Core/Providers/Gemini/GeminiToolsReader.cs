using Switchboard.Translation.Canonical;
using System.Text.Json;
using static Switchboard.Translation.Json.WireReading;
using static Switchboard.Providers.Gemini.GeminiRequestReader;

namespace Switchboard.Providers.Gemini;

/// <summary>
/// Reads a Gemini request's <c>tools</c> (<c>functionDeclarations</c>; built-ins such as <c>googleSearch</c> kept as
/// Gemini provider tools) and <c>toolConfig.functionCallingConfig</c> into canonical tools and tool choice.
/// </summary>
internal static class GeminiToolsReader
{
    public static System.Collections.Immutable.ImmutableArray<ToolDefinition> ReadTools(JsonElement tools)
    {
        var result = System.Collections.Immutable.ImmutableArray.CreateBuilder<ToolDefinition>();
        var index = 0;
        foreach (var tool in ExpectArray(tools, "tools"))
        {
            var path = $"tools[{index++}]";
            ExpectObject(tool, path);
            foreach (var member in tool.EnumerateObject())
            {
                if (member.Name is "functionDeclarations" or "function_declarations")
                {
                    var declarationIndex = 0;
                    foreach (var declaration in ExpectArray(member.Value, Join(path, member.Name)))
                    {
                        result.Add(ReadDeclaration(declaration, $"{path}.functionDeclarations[{declarationIndex++}]"));
                    }
                }
                else
                {
                    // googleSearch, codeExecution, urlContext, ...: Gemini's built-ins, one per tool object.
                    result.Add(new ProviderTool(GeminiDialect.Name, member.Name, Build(w =>
                    {
                        w.WriteStartObject();
                        member.WriteTo(w);
                        w.WriteEndObject();
                    })));
                }
            }
        }
        return result.ToImmutable();
    }

    private static FunctionTool ReadDeclaration(JsonElement declaration, string path)
    {
        ExpectObject(declaration, path);
        var name = OptionalString(declaration, "name", path) ?? throw Missing(Join(path, "name"));
        JsonElement? parameters = null;
        if (declaration.TryGetProperty("parametersJsonSchema", out var jsonSchema) && jsonSchema.ValueKind != JsonValueKind.Null)
        {
            parameters = ExpectObject(jsonSchema, Join(path, "parametersJsonSchema"));
        }
        else if (declaration.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
        {
            parameters = GeminiSchema.ToJsonSchema(ExpectObject(schema, Join(path, "parameters")));
        }
        return new FunctionTool(name) { Description = OptionalString(declaration, "description", path), Parameters = parameters };
    }

    /// <summary><c>functionCallingConfig.mode</c>: AUTO, ANY (with <c>allowedFunctionNames</c>: one named function or a subset), NONE, VALIDATED.</summary>
    public static ToolChoice? ReadToolConfig(JsonElement config, string path)
    {
        if (config.ValueKind == JsonValueKind.Null) return null;
        ExpectObject(config, path);
        if (!config.TryGetProperty("functionCallingConfig", out var calling) && !config.TryGetProperty("function_calling_config", out calling)) return null;
        path = Join(path, "functionCallingConfig");
        ExpectObject(calling, path);
        var mode = OptionalString(calling, "mode", path) ?? "AUTO";
        var names = new List<string>();
        if (calling.TryGetProperty("allowedFunctionNames", out var allowed))
        {
            foreach (var name in ExpectArray(allowed, Join(path, "allowedFunctionNames")))
            {
                names.Add(name.ValueKind == JsonValueKind.String ? name.GetString()! : throw WrongType(Join(path, "allowedFunctionNames"), "an array of strings"));
            }
        }
        return mode.ToUpperInvariant() switch
        {
            "AUTO" or "MODE_UNSPECIFIED" => ToolChoice.Auto,
            "NONE" => ToolChoice.None,
            "ANY" when names.Count == 1 => ToolChoice.Function(names[0]),
            "ANY" when names.Count == 0 => ToolChoice.Required,
            "ANY" or "VALIDATED" when names.Count > 0 => AllowedTools.Choice(names, mode.Equals("ANY", StringComparison.OrdinalIgnoreCase) ? "required" : "auto"),
            "VALIDATED" => ToolChoice.Auto,
            _ => throw Fail(Join(path, "mode"), $"must be AUTO, ANY, NONE or VALIDATED, not '{mode}'"),
        };
    }

    /// <summary>A small JSON value written by <paramref name="write"/>, as an element that owns its memory.</summary>
    internal static JsonElement Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
