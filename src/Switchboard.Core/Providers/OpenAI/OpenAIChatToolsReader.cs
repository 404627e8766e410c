using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Reads <c>tools</c>, <c>tool_choice</c>, <c>response_format</c> and their legacy forms. Each tool is
/// parsed into its own <see cref="JsonElement"/> first: the schema inside has to be kept raw anyway,
/// and the element it points into is no larger than the tool.
/// </summary>
internal static class OpenAIChatToolsReader
{
    public static List<ToolDefinition>? ReadTools(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw WrongType("tools", "an array");
        }
        var tools = new List<ToolDefinition>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            tools.Add(ToTool(JsonElement.ParseValue(ref reader), tools.Count));
        }
        return tools;
    }

    public static ToolChoice? ReadToolChoice(ref Utf8JsonReader reader)
    {
        var value = JsonElement.ParseValue(ref reader);
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return ModeOf(value.GetString()!);
            case JsonValueKind.Object:
                var type = OptionalString(value, "tool_choice", "type");
                if (type == "function")
                {
                    var function = RequiredObject(value, "tool_choice", "function");
                    return ToolChoice.Function(RequiredString(function, "tool_choice.function", "name"));
                }
                if (type is null)
                {
                    throw Missing("tool_choice.type");
                }
                // allowed_tools, custom: meaningful to OpenAI only.
                return new ToolChoice(ToolChoiceMode.Other, Raw: value);
            default:
                throw WrongType("tool_choice", "a string or an object");
        }
    }

    /// <summary>The OpenAI tool choice given as a string (Chat Completions and Responses alike).</summary>
    internal static ToolChoice ModeOf(string mode) => mode switch
    {
        "auto" => ToolChoice.Auto,
        "none" => ToolChoice.None,
        "required" => ToolChoice.Required,
        var other => throw Fail("tool_choice", $"'{other}' is not a valid tool choice; expected 'none', 'auto', 'required' or an object"),
    };

    public static ResponseFormat? ReadResponseFormat(ref Utf8JsonReader reader)
    {
        var value = JsonElement.ParseValue(ref reader);
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("response_format", "an object");
        }
        var type = OptionalString(value, "response_format", "type") ?? throw Missing("response_format.type");
        switch (type)
        {
            case "text":
                return ResponseFormat.Text;
            case "json_object":
                return ResponseFormat.JsonObject;
            case "json_schema":
                var schema = RequiredObject(value, "response_format", "json_schema");
                const string path = "response_format.json_schema";
                var format = new JsonSchemaFormat(RequiredString(schema, path, "name"))
                {
                    Description = OptionalString(schema, path, "description"),
                    Schema = OptionalObject(schema, path, "schema"),
                    Strict = OptionalBool(schema, path, "strict"),
                };
                return new ResponseFormat(ResponseFormatKind.JsonSchema, format);
            default:
                throw Fail("response_format.type", $"'{type}' is not a valid response format; expected 'text', 'json_object' or 'json_schema'");
        }
    }

    /// <summary>Reads deprecated <c>functions</c> (an array of bare function objects).</summary>
    public static List<ToolDefinition>? ReadLegacyFunctions(JsonElement functions)
    {
        if (functions.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (functions.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("functions", "an array");
        }
        var tools = new List<ToolDefinition>();
        foreach (var function in functions.EnumerateArray())
        {
            var path = $"functions[{tools.Count}]";
            if (function.ValueKind != JsonValueKind.Object)
            {
                throw WrongType(path, "an object");
            }
            tools.Add(ToFunction(function, path, cacheControl: null));
        }
        return tools;
    }

    /// <summary>Reads deprecated <c>function_call</c>: "none", "auto" or <c>{"name": ...}</c>.</summary>
    public static ToolChoice? ReadLegacyFunctionCall(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString() switch
        {
            "auto" => ToolChoice.Auto,
            "none" => ToolChoice.None,
            var other => throw Fail("function_call", $"'{other}' is not a valid function call mode; expected 'none', 'auto' or an object"),
        },
        JsonValueKind.Object => ToolChoice.Function(RequiredString(value, "function_call", "name")),
        _ => throw WrongType("function_call", "a string or an object"),
    };

    private static ToolDefinition ToTool(JsonElement tool, int index)
    {
        var path = $"tools[{index}]";
        if (tool.ValueKind != JsonValueKind.Object)
        {
            throw WrongType(path, "an object");
        }
        var type = OptionalString(tool, path, "type") ?? "function";
        if (type != "function")
        {
            return new ProviderTool(OpenAIChatDialect.Name, type, tool);
        }
        var cacheControl = tool.TryGetProperty("cache_control"u8, out var cc) && cc.ValueKind == JsonValueKind.Object
            ? new CacheControl(cc.TryGetProperty("type"u8, out var t) ? t.GetString() ?? "ephemeral" : "ephemeral",
                cc.TryGetProperty("ttl"u8, out var ttl) ? ttl.GetString() : null)
            : null;
        return ToFunction(RequiredObject(tool, path, "function"), $"{path}.function", cacheControl);
    }

    private static FunctionTool ToFunction(JsonElement function, string path, CacheControl? cacheControl)
    {
        var name = RequiredString(function, path, "name");
        if (name.Length == 0)
        {
            throw Fail(Join(path, "name"), "must be a non-empty string");
        }
        return new FunctionTool(name)
        {
            Description = OptionalString(function, path, "description"),
            Parameters = OptionalObject(function, path, "parameters"),
            Strict = OptionalBool(function, path, "strict"),
            CacheControl = cacheControl,
        };
    }

    private static string? OptionalString(JsonElement obj, string path, string member)
    {
        if (!obj.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(Join(path, member), "a string");
    }

    private static string RequiredString(JsonElement obj, string path, string member) =>
        OptionalString(obj, path, member) ?? throw Missing(Join(path, member));

    private static bool? OptionalBool(JsonElement obj, string path, string member)
    {
        if (!obj.TryGetProperty(member, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Null => null,
            _ => throw WrongType(Join(path, member), "a boolean"),
        };
    }

    private static JsonElement? OptionalObject(JsonElement obj, string path, string member)
    {
        if (!obj.TryGetProperty(member, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(Join(path, member), "an object");
    }

    private static JsonElement RequiredObject(JsonElement obj, string path, string member) =>
        OptionalObject(obj, path, member) ?? throw Missing(Join(path, member));
}
