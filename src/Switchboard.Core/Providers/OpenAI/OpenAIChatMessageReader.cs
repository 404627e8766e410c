using System.Collections.Immutable;
using System.Text.Json;
using Switchboard.Translation.Canonical;
using Switchboard.Translation.Json;
using static Switchboard.Translation.Json.WireReading;

namespace Switchboard.Providers.OpenAI;

/// <summary>
/// Reads one OpenAI chat message (request <c>messages[i]</c> or response <c>choices[i].message</c>).
/// Members may come in any order and the meaning of <c>content</c> depends on <c>role</c>, so members
/// are collected first and the canonical message is built once the object is closed.
/// </summary>
internal static class OpenAIChatMessageReader
{
    /// <summary>Reads the message object the reader is on.</summary>
    /// <param name="reader">On the message's <c>{</c>; left on its <c>}</c>.</param>
    /// <param name="path">JSON path of the message, for errors (<c>messages[2]</c>).</param>
    /// <param name="toolNames">Tool call id → function name of the calls seen so far; filled from
    /// assistant messages and used to name tool results (Gemini needs the name).</param>
    /// <param name="isResponse">Response messages also take OpenRouter's <c>reasoning</c> as thinking
    /// text and have no required <c>role</c>.</param>
    public static Message Read(ref Utf8JsonReader reader, string path, Dictionary<string, string>? toolNames, bool isResponse)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw WrongType(path, "an object");
        }

        var m = new RawMessage();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("role"u8))
            {
                ReadValue(ref reader);
                m.Role = ReadOptionalString(ref reader, path, "role");
            }
            else if (reader.ValueTextEquals("content"u8))
            {
                ReadValue(ref reader);
                m.Content = OpenAIChatContentReader.ReadContent(ref reader, path, out m.Form);
            }
            else if (reader.ValueTextEquals("name"u8))
            {
                ReadValue(ref reader);
                m.Name = ReadOptionalString(ref reader, path, "name");
            }
            else if (reader.ValueTextEquals("tool_call_id"u8))
            {
                ReadValue(ref reader);
                m.ToolCallId = ReadOptionalString(ref reader, path, "tool_call_id");
            }
            else if (reader.ValueTextEquals("tool_calls"u8))
            {
                ReadValue(ref reader);
                m.ToolCalls = OpenAIChatToolCallReader.ReadToolCalls(ref reader, path);
            }
            else if (reader.ValueTextEquals("function_call"u8))
            {
                ReadValue(ref reader);
                m.FunctionCall = OpenAIChatToolCallReader.ReadFunctionCall(ref reader, Join(path, "function_call"));
            }
            else if (reader.ValueTextEquals("refusal"u8))
            {
                ReadValue(ref reader);
                m.Refusal = ReadOptionalString(ref reader, path, "refusal");
            }
            else if (reader.ValueTextEquals("reasoning_content"u8)
                || (isResponse && reader.ValueTextEquals("reasoning"u8) && m.ReasoningContent is null))
            {
                ReadValue(ref reader);
                m.ReasoningContent = ReadOptionalString(ref reader, path, "reasoning_content");
            }
            else if (reader.ValueTextEquals("thinking_blocks"u8))
            {
                ReadValue(ref reader);
                m.ThinkingBlocks = OpenAIChatToolCallReader.ReadThinkingBlocks(ref reader, path);
            }
            else
            {
                var name = reader.GetString()!;
                ReadValue(ref reader);
                (m.Extensions ??= []).Add(new ExtensionField(name, JsonElement.ParseValue(ref reader)));
            }
        }

        return Build(m, path, toolNames, isResponse);
    }

    private static Message Build(RawMessage m, string path, Dictionary<string, string>? toolNames, bool isResponse)
    {
        if (m.Role is null)
        {
            if (!isResponse)
            {
                throw Missing($"{path}.role");
            }
            m.Role = "assistant";
        }

        return m.Role switch
        {
            "system" => BuildInstructions(m, path, ChatRole.System),
            "developer" => BuildInstructions(m, path, ChatRole.Developer),
            "user" => BuildUser(m, path),
            "assistant" => BuildAssistant(m, path, toolNames),
            "tool" => BuildToolResult(m, path, toolNames),
            "function" => BuildLegacyFunctionResult(m, path),
            _ => throw Fail($"{path}.role", $"'{m.Role}' is not a valid role"),
        };
    }

    private static Message BuildInstructions(RawMessage m, string path, ChatRole role)
    {
        RejectAssistantOnlyMembers(m, path);
        var parts = RequireContent(m, path);
        AllowOnly(parts, path, m.Role!, allowMedia: false);
        return new Message { Role = role, Parts = ToImmutable(parts), Name = m.Name, Form = m.Form, Extensions = ToImmutable(m.Extensions) };
    }

    private static Message BuildUser(RawMessage m, string path)
    {
        RejectAssistantOnlyMembers(m, path);
        var parts = RequireContent(m, path);
        AllowOnly(parts, path, m.Role!, allowMedia: true);
        return new Message { Role = ChatRole.User, Parts = ToImmutable(parts), Name = m.Name, Form = m.Form, Extensions = ToImmutable(m.Extensions) };
    }

    private static Message BuildAssistant(RawMessage m, string path, Dictionary<string, string>? toolNames)
    {
        if (m.ToolCallId is not null)
        {
            throw Fail($"{path}.tool_call_id", "is only allowed in tool messages");
        }

        var parts = ImmutableArray.CreateBuilder<ContentPart>();
        if (m.ThinkingBlocks is not null)
        {
            parts.AddRange(m.ThinkingBlocks);
            if (m.ReasoningContent is not null)
            {
                // LiteLLM sends both; the blocks are authoritative, the string is kept verbatim for the way back.
                (m.Extensions ??= []).Add(new ExtensionField("reasoning_content", RawJson.String(m.ReasoningContent)));
            }
        }
        else if (m.ReasoningContent is not null)
        {
            parts.Add(new ThinkingPart(m.ReasoningContent));
        }

        if (m.Content is not null)
        {
            for (var i = 0; i < m.Content.Count; i++)
            {
                var part = m.Content[i];
                if (part is not TextPart and not RefusalPart)
                {
                    throw Fail($"{path}.content[{i}].type", $"'{OpenAIChatContentReader.TypeName(part)}' is not allowed in assistant messages");
                }
                parts.Add(part);
            }
        }
        if (m.Refusal is not null)
        {
            parts.Add(new RefusalPart(m.Refusal));
        }
        if (m.ToolCalls is not null)
        {
            foreach (var call in m.ToolCalls)
            {
                parts.Add(call);
                if (toolNames is not null && call.Id is not null)
                {
                    toolNames[call.Id] = call.Name;
                }
            }
        }
        if (m.FunctionCall is not null)
        {
            parts.Add(m.FunctionCall);
        }

        return new Message
        {
            Role = ChatRole.Assistant,
            Parts = parts.DrainToImmutable(),
            Name = m.Name,
            Form = m.Form,
            Extensions = ToImmutable(m.Extensions),
        };
    }

    private static Message BuildToolResult(RawMessage m, string path, Dictionary<string, string>? toolNames)
    {
        RejectAssistantOnlyMembers(m, path);
        if (m.ToolCallId is null)
        {
            throw Missing($"{path}.tool_call_id");
        }
        var content = RequireContent(m, path);
        for (var i = 0; i < content.Count; i++)
        {
            // OpenAI itself takes only text here; images and files are let through for upstreams that
            // accept them in tool results (Anthropic), and an OpenAI upstream will say no itself.
            if (content[i] is RefusalPart or AudioPart)
            {
                throw Fail($"{path}.content[{i}].type", $"'{OpenAIChatContentReader.TypeName(content[i])}' is not allowed in tool messages");
            }
        }

        string? name = null;
        var extensions = m.Extensions;
        if (m.Name is not null)
        {
            // Not an OpenAI member of tool messages, though many clients send it: it goes back out only
            // as the client wrote it, never invented for an upstream that may reject unknown members.
            name = m.Name;
            (extensions ??= []).Add(new ExtensionField("name", RawJson.String(m.Name)));
        }
        else if (toolNames is not null && toolNames.TryGetValue(m.ToolCallId, out var known))
        {
            name = known;
        }

        var result = new ToolResultPart(m.ToolCallId) { Name = name, Content = ToImmutable(content), Form = m.Form };
        return new Message { Role = ChatRole.Tool, Parts = [result], Extensions = ToImmutable(extensions) };
    }

    private static Message BuildLegacyFunctionResult(RawMessage m, string path)
    {
        RejectAssistantOnlyMembers(m, path);
        if (m.Name is null)
        {
            throw Missing($"{path}.name");
        }
        var content = m.Content ?? [];
        if (content.Count > 1 || (content.Count == 1 && content[0] is not TextPart))
        {
            throw WrongType($"{path}.content", "a string");
        }
        var result = new ToolResultPart(null) { Name = m.Name, Content = ToImmutable(content), Form = m.Form };
        return new Message { Role = ChatRole.Tool, Parts = [result], Extensions = ToImmutable(m.Extensions) };
    }

    private static List<ContentPart> RequireContent(RawMessage m, string path)
    {
        if (m.Content is null)
        {
            throw Missing($"{path}.content");
        }
        return m.Content;
    }

    private static void AllowOnly(List<ContentPart> parts, string path, string role, bool allowMedia)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            var allowed = part is TextPart || (allowMedia && part is ImagePart or AudioPart or FilePart);
            if (!allowed)
            {
                throw Fail($"{path}.content[{i}].type", $"'{OpenAIChatContentReader.TypeName(part)}' is not allowed in {role} messages");
            }
        }
    }

    private static void RejectAssistantOnlyMembers(RawMessage m, string path)
    {
        if (m.ToolCalls is not null)
        {
            throw Fail($"{path}.tool_calls", "is only allowed in assistant messages");
        }
        if (m.FunctionCall is not null)
        {
            throw Fail($"{path}.function_call", "is only allowed in assistant messages");
        }
        if (m.Refusal is not null)
        {
            throw Fail($"{path}.refusal", "is only allowed in assistant messages");
        }
        if (m.ReasoningContent is not null || m.ThinkingBlocks is not null)
        {
            throw Fail($"{path}.reasoning_content", "is only allowed in assistant messages");
        }
        if (m.ToolCallId is not null && m.Role != "tool")
        {
            throw Fail($"{path}.tool_call_id", "is only allowed in tool messages");
        }
    }

    private static ImmutableArray<T> ToImmutable<T>(List<T>? list) => list is null ? [] : [.. list];

    /// <summary>Members as read, before the role decides what they mean.</summary>
    private sealed class RawMessage
    {
        public string? Role;
        public List<ContentPart>? Content;
        public ContentForm Form;
        public string? Name;
        public string? ToolCallId;
        public List<ToolCallPart>? ToolCalls;
        public ToolCallPart? FunctionCall;
        public string? Refusal;
        public string? ReasoningContent;
        public List<ContentPart>? ThinkingBlocks;
        public List<ExtensionField>? Extensions;
    }
}
