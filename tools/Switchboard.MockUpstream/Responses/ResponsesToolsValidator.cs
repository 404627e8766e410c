using System.Text.Json;
using System.Text.RegularExpressions;
using static Switchboard.MockUpstream.ChatRequestValidator;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// <c>tools</c> and <c>tool_choice</c> of a Responses request. Function tools are flat (<c>{type, name,
/// parameters}</c>; chat's nested <c>function</c> object is refused as the API does, first with the missing name);
/// custom (freeform) tools need a name; hosted tools (web_search, file_search, shell, apply_patch ...) are accepted as
/// declared. Only function tools are ever called by the mock.
/// </summary>
internal static partial class ResponsesToolsValidator
{
    private static readonly string[] ToolTypes =
    [
        "function", "file_search", "computer", "computer_use_preview", "web_search", "web_search_2025_08_26", "mcp",
        "code_interpreter", "programmatic_tool_calling", "image_generation", "local_shell", "shell", "custom",
        "namespace", "tool_search", "web_search_preview", "web_search_preview_2025_03_11", "apply_patch",
    ];

    private static readonly string[] ChoiceModes = ["none", "auto", "required"];

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex NamePattern();

    public static ApiError? Check(JsonElement root, ResponsesRequest req)
    {
        bool hasTools = JsonShape.TryGetNonNull(root, "tools", out var tools);
        if (hasTools)
        {
            if (tools.ValueKind != JsonValueKind.Array)
            {
                return OpenAIErrors.InvalidType("tools", "an array", tools);
            }
            req.Tools = tools;
            int k = 0;
            foreach (var tool in tools.EnumerateArray())
            {
                if (CheckTool(tool, $"tools[{k++}]", req) is { } e)
                {
                    return e;
                }
            }
        }
        return CheckChoice(root, req);
    }

    private static ApiError? CheckTool(JsonElement tool, string at, ResponsesRequest req)
    {
        if (RequireTypedObject(tool, at, out string? type) is { } te)
        {
            return te;
        }
        if (Array.IndexOf(ToolTypes, type) < 0)
        {
            return OpenAIErrors.InvalidValue($"{at}.type", type!, ToolTypes);
        }
        if (type is not ("function" or "custom"))
        {
            return null;
        }
        if (RequireString(tool, "name", at, out string? name) is { } ne)
        {
            return ne;
        }
        if (name!.Length is 0 or > 64 || !NamePattern().IsMatch(name))
        {
            return OpenAIErrors.Invalid(
                $"Invalid '{at}.name': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$'.",
                $"{at}.name", "invalid_value");
        }
        if (type == "custom")
        {
            if (JsonShape.TryGetNonNull(tool, "format", out var format) && format.ValueKind != JsonValueKind.Object)
            {
                return OpenAIErrors.InvalidType($"{at}.format", "an object", format);
            }
            req.CustomTools.Add(name);
            return ResponsesValidator.Members(tool, at, ["type", "name", "description", "format", "defer_loading", "allowed_callers"]);
        }
        if (!JsonShape.TryGetNonNull(tool, "parameters", out var parameters))
        {
            return OpenAIErrors.MissingRequired($"{at}.parameters");
        }
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType($"{at}.parameters", "an object", parameters);
        }
        var error = CheckBool(tool, "strict", out _) ?? CheckBool(tool, "defer_loading", out _);
        if (error is not null)
        {
            return ResponsesValidator.Nest(error, at);
        }
        req.Chat.Tools.Add(new ToolInfo(name, parameters));
        return ResponsesValidator.Members(tool, at,
            ["type", "name", "description", "parameters", "strict", "defer_loading", "allowed_callers", "output_schema"]);
    }

    private static ApiError? CheckChoice(JsonElement root, ResponsesRequest req)
    {
        if (!JsonShape.TryGetNonNull(root, "tool_choice", out var choice))
        {
            return null;
        }
        req.ToolChoice = choice;
        if (choice.ValueKind == JsonValueKind.String)
        {
            string mode = choice.GetString()!;
            req.Chat.ToolChoice = mode switch
            {
                "none" => ToolChoiceMode.None,
                "auto" => ToolChoiceMode.Auto,
                "required" => ToolChoiceMode.Required,
                _ => (ToolChoiceMode)(-1),
            };
            return (int)req.Chat.ToolChoice < 0 ? OpenAIErrors.InvalidValue("tool_choice", mode, ChoiceModes) : null;
        }
        if (choice.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType("tool_choice", "one of a string or object", choice);
        }
        if (RequireString(choice, "type", "tool_choice", out string? type) is { } te)
        {
            return te;
        }
        if (type is not ("function" or "custom"))
        {
            return null; // allowed_tools and hosted tool types: accepted, never forced by the mock
        }
        if (RequireString(choice, "name", "tool_choice", out string? name) is { } ne)
        {
            return ne;
        }
        bool declared = type == "function" ? req.Chat.Tools.Exists(t => t.Name == name) : req.CustomTools.Contains(name!);
        if (!declared)
        {
            return OpenAIErrors.Invalid(
                $"Tool choice '{type}' with name '{name}' not found in 'tools' parameter.", "tool_choice", "invalid_value");
        }
        if (type == "function")
        {
            req.Chat.ToolChoice = ToolChoiceMode.Named;
            req.Chat.NamedTool = name;
        }
        else
        {
            req.Chat.ToolChoice = ToolChoiceMode.None; // a forced custom tool: the mock answers with text
        }
        return ResponsesValidator.Members(choice, "tool_choice", ["type", "name"]);
    }
}
