using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using static Switchboard.Translation.Json.WireReading;
using static Switchboard.Providers.OpenAI.Responses.ResponsesClientValues;

namespace Switchboard.Providers.OpenAI.Responses;

/// <summary><c>tools</c>, <c>tool_choice</c>, <c>text</c> and <c>reasoning</c>.</summary>
public static partial class ResponsesRequestReader
{
    private static ImmutableArray<ToolDefinition> ReadTools(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw WrongType("tools", "an array");
        }
        var tools = ImmutableArray.CreateBuilder<ToolDefinition>();
        var i = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            ExpectObject(tool, path);
            var type = RequiredMemberString(tool, path, "type");
            if (type == ResponsesItemTypes.NamespaceTool)
            {
                ReadNamespace(tool, path, tools);
                continue;
            }
            tools.Add(type switch
            {
                ResponsesItemTypes.FunctionTool => ReadFunctionTool(tool, path),
                ResponsesItemTypes.CustomTool => ReadCustomTool(tool, path),
                // Hosted tools (web_search, file_search, mcp, ...): only a Responses upstream can run them.
                _ => new ProviderTool(ResponsesDialect.Name, type, tool.Clone()),
            });
        }
        return tools.ToImmutable();
    }

    /// <summary>A namespace tool's functions and custom tools, each offered as its own function (see <see cref="ResponsesNamespaces"/>).</summary>
    private static void ReadNamespace(JsonElement tool, string path, ImmutableArray<ToolDefinition>.Builder tools)
    {
        var space = CheckName(MemberString(tool, path, "name"), path);
        var members = Member(tool, "tools") ?? throw Missing(Join(path, "tools"));
        var first = true;
        foreach (var (member, memberPath) in ObjectsOf(members, Join(path, "tools")))
        {
            var function = RequiredMemberString(member, memberPath, "type") switch
            {
                ResponsesItemTypes.FunctionTool => ReadFunctionTool(member, memberPath),
                ResponsesItemTypes.CustomTool => ReadCustomTool(member, memberPath),
                var other => throw Fail(Join(memberPath, "type"), $"'{other}' is not a valid namespace member type; expected 'function' or 'custom'"),
            };
            tools.Add(ResponsesNamespaces.Flatten(function, space, first ? tool.Clone() : null));
            first = false;
        }
    }

    private static FunctionTool ReadFunctionTool(JsonElement tool, string path)
    {
        var extensions = new List<ExtensionField>();
        string? name = null, description = null;
        JsonElement? parameters = null;
        bool? strict = null;
        foreach (var member in tool.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type": break;
                case "name": name = OptString(member.Value, Join(path, "name")); break;
                case "description": description = OptString(member.Value, Join(path, "description")); break;
                case "parameters":
                    parameters = member.Value.ValueKind == JsonValueKind.Null ? null : member.Value.Clone();
                    if (parameters is { ValueKind: not JsonValueKind.Object })
                    {
                        throw WrongType(Join(path, "parameters"), "an object");
                    }
                    break;
                case "strict": strict = OptBool(member.Value, Join(path, "strict")); break;
                default: extensions.Add(new ExtensionField(member.Name, member.Value.Clone())); break;
            }
        }
        return new FunctionTool(CheckName(name, path))
        {
            Description = description,
            Parameters = parameters,
            Strict = strict,
            Extensions = [.. extensions],
        };
    }

    /// <summary>A free-form tool (Codex's apply_patch): a function whose one string argument <c>input</c> carries
    /// the text; its <c>format</c> (grammar) stays raw in the extensions for a Responses upstream.</summary>
    private static FunctionTool ReadCustomTool(JsonElement tool, string path)
    {
        var extensions = new List<ExtensionField>();
        string? name = null, description = null;
        foreach (var member in tool.EnumerateObject())
        {
            switch (member.Name)
            {
                case "type": break;
                case "name": name = OptString(member.Value, Join(path, "name")); break;
                case "description": description = OptString(member.Value, Join(path, "description")); break;
                default: extensions.Add(new ExtensionField(member.Name, member.Value.Clone())); break;
            }
        }
        return new FunctionTool(CheckName(name, path))
        {
            Description = description,
            Parameters = ResponsesClientCustomTools.InputSchema,
            Kind = ToolCallKind.Custom,
            Extensions = [.. extensions],
        };
    }

    private static string CheckName(string? name, string path) =>
        string.IsNullOrEmpty(name) ? throw (name is null ? Missing(Join(path, "name")) : Fail(Join(path, "name"), "must be a non-empty string")) : name;

    /// <summary>
    /// <c>tool_choice</c>. The object forms with no neutral meaning keep their raw value in the extension
    /// <c>tool_choice</c> (the response echoes it): <c>allowed_tools</c> becomes the Chat Completions form that the
    /// other writers read (function and custom tools by name; hosted ones cannot be limited to elsewhere), a hosted
    /// tool's type (<c>{"type":"web_search"}</c>) becomes <c>auto</c>, as that tool is dropped where it cannot run.
    /// </summary>
    private static ToolChoice? ReadToolChoice(JsonElement value, List<ExtensionField> extensions)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return OpenAIChatToolsReader.ModeOf(value.GetString()!);
            case JsonValueKind.Object:
                var type = RequiredMemberString(value, "tool_choice", "type");
                if (type is ResponsesItemTypes.FunctionTool or ResponsesItemTypes.CustomTool)
                {
                    return ToolChoice.Function(RequiredMemberString(value, "tool_choice", "name"));
                }
                extensions.Add(new ExtensionField("tool_choice", value.Clone()));
                return type == "allowed_tools" ? ReadAllowedTools(value) : ToolChoice.Auto;
            default:
                throw WrongType("tool_choice", "a string or an object");
        }
    }

    /// <summary><c>{"type":"allowed_tools","mode":"auto"|"required","tools":[{"type":"function","name":"f"}, ...]}</c>
    /// as Chat's <c>{"type":"allowed_tools","allowed_tools":{"mode":...,"tools":[{"type":"function","function":{"name":"f"}}]}}</c>.</summary>
    private static ToolChoice ReadAllowedTools(JsonElement value)
    {
        var mode = MemberString(value, "tool_choice", "mode") ?? "auto";
        if (mode is not ("auto" or "required"))
        {
            throw Fail("tool_choice.mode", $"'{mode}' is not a valid mode; expected 'auto' or 'required'");
        }
        var tools = Member(value, "tools") ?? throw Missing("tool_choice.tools");
        var names = new List<string>();
        foreach (var (tool, path) in ObjectsOf(tools, "tool_choice.tools"))
        {
            if (RequiredMemberString(tool, path, "type") is ResponsesItemTypes.FunctionTool or ResponsesItemTypes.CustomTool)
            {
                names.Add(RequiredMemberString(tool, path, "name"));
            }
        }
        if (names.Count == 0)
        {
            // Only hosted tools allowed, which no translated upstream runs (they are dropped and named): the model may
            // call none of the functions, which the client did not allow.
            return ToolChoice.None;
        }
        return AllowedTools.Choice(names, mode);
    }

    /// <summary><c>text.format</c> becomes the response format; a <c>text</c> with more than a format (e.g.
    /// <c>verbosity</c>) is also kept whole, raw, as the extension <c>text</c> for a Responses upstream.</summary>
    private static ResponseFormat? ReadText(JsonElement value, List<ExtensionField> extensions)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        ExpectObject(value, "text");
        ResponseFormat? format = null;
        var other = false;
        foreach (var member in value.EnumerateObject())
        {
            if (member.Name == "format")
            {
                format = ReadFormat(member.Value);
            }
            else
            {
                other = true;
            }
        }
        if (other)
        {
            extensions.Add(new ExtensionField("text", value.Clone()));
        }
        return format;
    }

    private static ResponseFormat? ReadFormat(JsonElement format)
    {
        if (format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        ExpectObject(format, "text.format");
        var type = RequiredMemberString(format, "text.format", "type");
        if (type != "json_schema")
        {
            return type == "text" ? ResponseFormat.Text
                : type == "json_object" ? ResponseFormat.JsonObject
                : throw Fail("text.format.type", $"'{type}' is not a valid format type; expected 'text', 'json_object' or 'json_schema'");
        }
        var name = RequiredMemberString(format, "text.format", "name");
        var schema = Member(format, "schema") ?? throw Missing("text.format.schema");
        if (schema.ValueKind != JsonValueKind.Object)
        {
            throw WrongType("text.format.schema", "an object");
        }
        return new ResponseFormat(ResponseFormatKind.JsonSchema, new JsonSchemaFormat(name)
        {
            Description = MemberString(format, "text.format", "description"),
            Schema = schema.Clone(),
            Strict = Member(format, "strict") is { } strict ? OptBool(strict, "text.format.strict") : null,
        });
    }

    private static ReasoningOptions? ReadReasoning(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        ExpectObject(value, "reasoning");
        var effort = MemberString(value, "reasoning", "effort");
        // generate_summary is the older spelling of summary, still accepted by OpenAI.
        var summary = MemberString(value, "reasoning", "summary") ?? MemberString(value, "reasoning", "generate_summary");
        return new ReasoningOptions { Effort = effort, Summary = summary, Enabled = effort == ReasoningEfforts.None ? false : null };
    }
}
