using System.Collections.Frozen;
using System.Text.Json;
using static Switchboard.MockUpstream.ChatRequestValidator;

namespace Switchboard.MockUpstream.Responses;

/// <summary>
/// The <c>input</c> of a Responses request: a string (one user message) or a list of items. Each item's members
/// are checked against the spec's item schemas (unknown ones are <c>unknown_parameter</c> with their path, e.g.
/// <c>input[3].status</c>); messages, function and custom tool calls and their outputs, reasoning and item
/// references are checked in depth and fed to the generator as a chat conversation.
/// </summary>
internal static class InputValidator
{
    /// <summary>Members each input item type accepts (InputItem's and Item's schemas in the OpenAPI spec).</summary>
    internal static readonly FrozenDictionary<string, FrozenSet<string>> ItemMembers = new Dictionary<string, string[]>
    {
        ["message"] = ["type", "role", "content", "status", "id", "phase"],
        ["function_call"] = ["type", "id", "call_id", "name", "arguments", "status", "namespace", "caller"],
        ["function_call_output"] = ["type", "id", "call_id", "output", "status", "name", "namespace", "caller"],
        ["custom_tool_call"] = ["type", "id", "call_id", "name", "input", "namespace", "caller"],
        ["custom_tool_call_output"] = ["type", "id", "call_id", "output", "caller"],
        // The spec lists `status` on reasoning items, but the live API refuses it in input ("Unknown parameter:
        // 'input[3].status'."): it is output-only there, and clients replaying reasoning items must drop it.
        ["reasoning"] = ["type", "id", "summary", "content", "encrypted_content"],
        ["item_reference"] = ["type", "id"],
        ["file_search_call"] = ["type", "id", "queries", "results", "status"],
        ["computer_call"] = ["type", "id", "call_id", "action", "actions", "pending_safety_checks", "status"],
        ["computer_call_output"] = ["type", "id", "call_id", "output", "acknowledged_safety_checks", "status"],
        ["web_search_call"] = ["type", "id", "action", "status"],
        ["tool_search_call"] = ["type", "id", "call_id", "arguments", "execution", "status"],
        ["tool_search_output"] = ["type", "id", "call_id", "tools", "execution", "status"],
        ["additional_tools"] = ["type", "id", "role", "tools"],
        ["compaction"] = ["type", "id", "encrypted_content"],
        ["compaction_trigger"] = ["type"],
        ["image_generation_call"] = ["type", "id", "result", "status"],
        ["code_interpreter_call"] = ["type", "id", "code", "container_id", "outputs", "status"],
        ["local_shell_call"] = ["type", "id", "call_id", "action", "status"],
        ["local_shell_call_output"] = ["type", "id", "output", "status"],
        ["shell_call"] = ["type", "id", "call_id", "action", "caller", "environment", "status"],
        ["shell_call_output"] = ["type", "id", "call_id", "output", "caller", "max_output_length", "status"],
        ["apply_patch_call"] = ["type", "id", "call_id", "operation", "caller", "status"],
        ["apply_patch_call_output"] = ["type", "id", "call_id", "output", "caller", "status"],
        ["mcp_list_tools"] = ["type", "id", "server_label", "tools", "error"],
        ["mcp_approval_request"] = ["type", "id", "server_label", "name", "arguments"],
        ["mcp_approval_response"] = ["type", "id", "approval_request_id", "approve", "reason"],
        ["mcp_call"] = ["type", "id", "server_label", "name", "arguments", "output", "error", "approval_request_id", "status"],
        ["program"] = ["type", "id", "call_id", "code", "fingerprint"],
        ["program_output"] = ["type", "id", "call_id", "result", "status"],
    }.ToFrozenDictionary(kv => kv.Key, kv => kv.Value.ToFrozenSet(StringComparer.Ordinal), StringComparer.Ordinal);

    private static readonly string[] ItemTypes = [.. ItemMembers.Keys.Order(StringComparer.Ordinal)];
    private static readonly string[] Roles = ["user", "assistant", "system", "developer"];
    private static readonly string[] InputParts = ["input_text", "input_image", "input_file"];
    private static readonly string[] OutputParts = ["output_text", "refusal"];

    // What the API lists when a part type is neither (e.g. chat's "text" or "image_url").
    private static readonly string[] AllParts =
        ["input_text", "input_image", "output_text", "refusal", "input_file", "computer_screenshot", "summary_text"];

    public static ApiError? Check(JsonElement root, ResponsesRequest req)
    {
        var messages = req.Chat.Messages;
        if (!JsonShape.TryGetNonNull(root, "input", out var input))
        {
            bool stateful = root.TryGetProperty("previous_response_id", out _) || root.TryGetProperty("prompt", out _)
                || root.TryGetProperty("conversation", out _);
            if (!stateful)
            {
                return OpenAIErrors.MissingRequired("input");
            }
        }
        else if (input.ValueKind == JsonValueKind.String)
        {
            messages.Add(new ChatMessageInfo("user") { Text = input.GetString()!, TextChars = input.GetString()!.Length });
        }
        else if (input.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType("input", "one of a string or array of objects", input);
        }
        else
        {
            int i = 0;
            foreach (var item in input.EnumerateArray())
            {
                if (CheckItem(item, $"input[{i++}]", req) is { } error)
                {
                    return error;
                }
            }
        }
        if (JsonShape.GetString(root, "instructions") is { } instructions)
        {
            messages.Insert(0, new ChatMessageInfo("system") { Text = instructions, TextChars = instructions.Length });
        }
        if (messages.Count == 0 || messages[^1].Role is not ("user" or "tool"))
        {
            messages.Add(new ChatMessageInfo("user")); // the generator answers the last turn; nothing to echo
        }
        return null;
    }

    private static ApiError? CheckItem(JsonElement item, string at, ResponsesRequest req)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return OpenAIErrors.InvalidType(at, "an object", item);
        }
        string? type = JsonShape.GetString(item, "type");
        if (type is null)
        {
            if (JsonShape.TryGetNonNull(item, "type", out var t))
            {
                return OpenAIErrors.InvalidType($"{at}.type", "a string", t);
            }
            if (!item.TryGetProperty("role", out _))
            {
                return OpenAIErrors.MissingRequired($"{at}.type");
            }
            type = "message"; // EasyInputMessage: type may be left out
        }
        if (!ItemMembers.TryGetValue(type, out var members))
        {
            return OpenAIErrors.InvalidValue($"{at}.type", type, ItemTypes);
        }
        var error = type switch
        {
            "message" => CheckMessage(item, at, req),
            "function_call" => CheckCall(item, at, req, "arguments"),
            "custom_tool_call" => CheckCall(item, at, req, "input"),
            "function_call_output" or "custom_tool_call_output" => CheckOutput(item, at, req),
            "reasoning" => CheckReasoning(item, at),
            "item_reference" => RequireString(item, "id", at, out _),
            _ => null,
        };
        if (error is not null)
        {
            return error;
        }
        foreach (var prop in item.EnumerateObject())
        {
            if (!members.Contains(prop.Name))
            {
                return ResponsesErrors.UnknownParameter($"{at}.{prop.Name}");
            }
        }
        return null;
    }

    private static ApiError? CheckMessage(JsonElement item, string at, ResponsesRequest req)
    {
        if (!JsonShape.TryGetNonNull(item, "role", out var roleEl))
        {
            return OpenAIErrors.MissingRequired($"{at}.role");
        }
        if (CheckEnum(item, "role", Roles) is { } re)
        {
            return ResponsesValidator.Nest(re, at);
        }
        string role = roleEl.GetString()!;
        if (!JsonShape.TryGetNonNull(item, "content", out var content))
        {
            return OpenAIErrors.MissingRequired($"{at}.content");
        }
        var info = new ChatMessageInfo(role is "developer" ? "system" : role);
        req.Chat.Messages.Add(info);
        if (content.ValueKind == JsonValueKind.String)
        {
            info.Text = content.GetString()!;
            info.TextChars = info.Text.Length;
            return null;
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            return OpenAIErrors.InvalidType($"{at}.content", "one of a string or array of objects", content);
        }
        var allowed = role == "assistant" ? OutputParts : InputParts;
        return CheckParts(content, $"{at}.content", allowed, AllParts, info);
    }

    /// <summary>
    /// A list of content parts of the <paramref name="allowed"/> types; a type that is none of them is refused listing
    /// <paramref name="allowed"/> when it is a known part type elsewhere, else <paramref name="unknownList"/>.
    /// </summary>
    private static ApiError? CheckParts(JsonElement parts, string at, string[] allowed, string[] unknownList, ChatMessageInfo info)
    {
        var texts = new List<string>();
        int j = 0;
        foreach (var part in parts.EnumerateArray())
        {
            string pat = $"{at}[{j++}]";
            if (RequireTypedObject(part, pat, out string? type) is { } te)
            {
                return te;
            }
            if (Array.IndexOf(allowed, type) < 0)
            {
                return OpenAIErrors.InvalidValue(pat, type!, Array.IndexOf(AllParts, type) < 0 ? unknownList : allowed);
            }
            if (CheckPart(part, pat, type!, info, texts) is { } error)
            {
                return error;
            }
        }
        info.Text = string.Join(" ", texts);
        return null;
    }

    private static ApiError? CheckPart(JsonElement part, string at, string type, ChatMessageInfo info, List<string> texts)
    {
        switch (type)
        {
            case "input_text" or "output_text" or "refusal":
                string field = type == "refusal" ? "refusal" : "text";
                if (RequireString(part, field, at, out string? text) is { } e)
                {
                    return e;
                }
                texts.Add(text!);
                info.TextChars += text!.Length;
                return ResponsesValidator.Members(part, at, type == "output_text"
                    ? ["type", "text", "annotations", "logprobs"]
                    : type == "refusal" ? ["type", "refusal"] : ["type", "text"]);
            case "input_image":
                if (!JsonShape.TryGetNonNull(part, "image_url", out _) && !JsonShape.TryGetNonNull(part, "file_id", out _))
                {
                    return OpenAIErrors.MissingRequired($"{at}.image_url");
                }
                info.ImageCount++;
                return ResponsesValidator.Members(part, at, ["type", "image_url", "file_id", "detail"]);
            default: // input_file
                info.ImageCount++;
                return ResponsesValidator.Members(part, at, ["type", "file_id", "file_url", "file_data", "filename", "detail"]);
        }
    }

    private static ApiError? CheckCall(JsonElement item, string at, ResponsesRequest req, string payload)
    {
        string? id = null, name = null, args = null;
        var error = RequireString(item, "call_id", at, out id)
            ?? RequireString(item, "name", at, out name)
            ?? RequireString(item, payload, at, out args);
        if (error is not null)
        {
            return error;
        }
        // An assistant turn that called a tool: consecutive calls form one turn, as parallel calls do in chat.
        var messages = req.Chat.Messages;
        if (messages.Count == 0 || messages[^1] is not { Role: "assistant", ToolCallIds: not null } turn)
        {
            turn = new ChatMessageInfo("assistant") { ToolCallIds = [] };
            messages.Add(turn);
        }
        turn.ToolCallIds!.Add(id!);
        turn.TextChars += name!.Length + args!.Length;
        return null;
    }

    private static ApiError? CheckOutput(JsonElement item, string at, ResponsesRequest req)
    {
        if (RequireString(item, "call_id", at, out string? id) is { } e)
        {
            return e;
        }
        if (!JsonShape.TryGetNonNull(item, "output", out var output))
        {
            return OpenAIErrors.MissingRequired($"{at}.output");
        }
        var info = new ChatMessageInfo("tool") { ToolCallId = id };
        if (output.ValueKind == JsonValueKind.String)
        {
            info.Text = output.GetString()!;
        }
        else if (output.ValueKind == JsonValueKind.Array)
        {
            if (CheckParts(output, $"{at}.output", InputParts, InputParts, info) is { } pe)
            {
                return pe;
            }
        }
        else
        {
            return OpenAIErrors.InvalidType($"{at}.output", "one of a string or array of objects", output);
        }
        info.TextChars = info.Text.Length;
        req.Chat.Messages.Add(info);
        req.ToolOutputs++;
        return null;
    }

    private static ApiError? CheckReasoning(JsonElement item, string at)
    {
        if (RequireMember(item, "summary", at, JsonValueKind.Array, "an array", out var summary) is { } se)
        {
            return se;
        }
        int j = 0;
        foreach (var part in summary.EnumerateArray())
        {
            string pat = $"{at}.summary[{j++}]";
            string? type = null;
            if ((RequireTypedObject(part, pat, out type) ?? RequireString(part, "text", pat, out _)) is { } error)
            {
                return error;
            }
            if (type != "summary_text")
            {
                return OpenAIErrors.InvalidValue($"{pat}.type", type!, ["summary_text"]);
            }
        }
        return null;
    }

    /// <summary>
    /// Every function_call_output / custom_tool_call_output answers a function_call / custom_tool_call with its call_id earlier
    /// in the input, and every call is answered. With previous_response_id the calls may live in the stored
    /// response (which the mock does not keep), so unmatched outputs are accepted then.
    /// </summary>
    public static ApiError? CheckPairing(JsonElement root, ResponsesRequest req)
    {
        if (!JsonShape.TryGet(root, "input", out var input) || input.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        var open = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in input.EnumerateArray())
        {
            string? type = JsonShape.GetString(item, "type");
            string? id = JsonShape.GetString(item, "call_id");
            if (type is "function_call" or "custom_tool_call")
            {
                seen.Add(id!);
                open.Add(id!);
            }
            else if (type is "function_call_output" or "custom_tool_call_output")
            {
                if (!seen.Contains(id!) && req.PreviousResponseId is null)
                {
                    return ResponsesErrors.NoToolCall(id!);
                }
                open.Remove(id!);
            }
        }
        return open.Count > 0 ? ResponsesErrors.NoToolOutput(open[0]) : null;
    }
}
