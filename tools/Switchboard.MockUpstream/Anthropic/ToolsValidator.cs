using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchboard.MockUpstream.Anthropic;

/// <summary><c>tools</c> (custom tools with an input schema, versioned server tools) and <c>tool_choice</c>.</summary>
internal static partial class ToolsValidator
{
    private static readonly string[] ToolChoiceTags = ["auto", "any", "tool", "none"];
    private static readonly string[] ParallelKeys = ["type", "disable_parallel_tool_use"];
    private static readonly string[] NamedKeys = ["type", "name", "disable_parallel_tool_use"];
    private static readonly string[] ObjectLiteral = ["object"];
    private static readonly string[] TypeOnly = ["type"];
    private static readonly string[] CustomToolKeys =
    [
        "name", "description", "input_schema", "cache_control", "type", "strict", "input_examples", "defer_loading",
        "allowed_callers", "eager_input_streaming",
    ];
    private static readonly string[] ToolTags =
    [
        "custom", "bash_20250124", "code_execution_20250825", "memory_20250818", "text_editor_20250728", "web_fetch_20250910",
        "web_search_20250305",
    ];

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,128}$")]
    private static partial Regex ToolName();

    [GeneratedRegex("^[a-z_]+_[0-9]{8}$")]
    private static partial Regex ServerToolType();

    public static ApiError? CheckTools(JsonElement root, AnthropicRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "tools", out var tools))
        {
            return null;
        }
        if (Pyd.List(tools, "tools") is { } le)
        {
            return le;
        }
        var names = new HashSet<string>(StringComparer.Ordinal);
        int i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            string at = $"tools.{i++}";
            if (Pyd.Object(tool, at) is { } oe)
            {
                return oe;
            }
            var error = JsonShape.GetString(tool, "type") is { } type && type != "custom"
                ? CheckServerTool(tool, at, type, out var parsed)
                : CheckCustomTool(tool, at + ".custom", out parsed);
            if (error is not null)
            {
                return error;
            }
            if (!names.Add(parsed!.Name))
            {
                return AnthropicErrors.Invalid("tools: Tool names must be unique.");
            }
            req.Tools.Add(parsed);
        }
        return null;
    }

    private static ApiError? CheckServerTool(JsonElement tool, string at, string type, out AnthropicTool? parsed)
    {
        parsed = null;
        if (!ServerToolType().IsMatch(type))
        {
            return Pyd.Tag(at, type, ToolTags);
        }
        if (Pyd.String(tool, "name", Pyd.Join(at, type), out string name) is { } ne)
        {
            return ne;
        }
        parsed = new AnthropicTool { Name = name, Server = true, Chars = tool.GetRawText().Length, Raw = tool.GetRawText(), CacheControl = HasCacheControl(tool) };
        return ContentValidator.CheckCacheControl(tool, Pyd.Join(at, type));
    }

    private static ApiError? CheckCustomTool(JsonElement tool, string at, out AnthropicTool? parsed)
    {
        parsed = null;
        if (Pyd.String(tool, "name", at, out string name) is { } ne)
        {
            return ne;
        }
        if (!ToolName().IsMatch(name))
        {
            return AnthropicErrors.Invalid($"{at}.name: String should match pattern '^[a-zA-Z0-9_-]{{1,128}}$'");
        }
        if (Pyd.OptionalString(tool, "description", at) is { } de)
        {
            return de;
        }
        if (!JsonShape.TryGetNonNull(tool, "input_schema", out var schema))
        {
            return Pyd.Required(at + ".input_schema");
        }
        if (Pyd.Object(schema, at + ".input_schema") is { } se)
        {
            return se;
        }
        if (!JsonShape.TryGetNonNull(schema, "type", out var schemaType))
        {
            return Pyd.Required(at + ".input_schema.type");
        }
        if (schemaType.ValueKind != JsonValueKind.String || schemaType.GetString() != "object")
        {
            return Pyd.Literal(at + ".input_schema.type", ObjectLiteral);
        }
        if ((Pyd.OptionalBool(tool, "strict", at) ?? Pyd.Keys(tool, at, CustomToolKeys) ?? ContentValidator.CheckCacheControl(tool, at)) is { } e)
        {
            return e;
        }
        string description = JsonShape.GetString(tool, "description") ?? "";
        parsed = new AnthropicTool
        {
            Name = name,
            InputSchema = schema,
            Chars = name.Length + description.Length + schema.GetRawText().Length,
            CacheControl = HasCacheControl(tool),
            Raw = tool.GetRawText(),
            Deferred = tool.TryGetProperty("defer_loading", out var deferred) && deferred.ValueKind == JsonValueKind.True,
        };
        return null;
    }

    public static ApiError? CheckToolChoice(JsonElement root, AnthropicRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "tool_choice", out var choice))
        {
            return null;
        }
        if (Pyd.Object(choice, "tool_choice") is { } oe)
        {
            return oe;
        }
        if (JsonShape.GetString(choice, "type") is not { } type)
        {
            return Pyd.NoTag("tool_choice");
        }
        string at = "tool_choice." + type;
        req.ToolChoiceSet = true;
        switch (type)
        {
            case "auto":
            case "any":
                req.ToolChoice = type == "auto" ? ToolChoiceKind.Auto : ToolChoiceKind.Any;
                return Pyd.Keys(choice, at, ParallelKeys) ?? Pyd.OptionalBool(choice, "disable_parallel_tool_use", at);
            case "tool":
                req.ToolChoice = ToolChoiceKind.Tool;
                if (Pyd.String(choice, "name", at, out string name) is { } ne)
                {
                    return ne;
                }
                req.ToolChoiceName = name;
                return Pyd.Keys(choice, at, NamedKeys) ?? Pyd.OptionalBool(choice, "disable_parallel_tool_use", at);
            case "none":
                req.ToolChoice = ToolChoiceKind.None;
                return Pyd.Keys(choice, at, TypeOnly);
            default:
                return Pyd.Tag("tool_choice", type, ToolChoiceTags);
        }
    }

    private static bool HasCacheControl(JsonElement obj) => JsonShape.TryGetNonNull(obj, "cache_control", out _);
}
